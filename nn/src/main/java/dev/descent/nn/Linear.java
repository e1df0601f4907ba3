package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.nn.init.Init;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * {@code y = x W^T + b}, as {@code torch.nn.Linear}: weight [out, in] and bias [out], both initialised
 * U(-1/sqrt(in), 1/sqrt(in)) (PyTorch's Kaiming-uniform with a = sqrt(5), and its bias rule).
 */
public final class Linear extends Layer {
    private final int inFeatures;
    private final int outFeatures;
    private final Variable weight;
    private final Variable bias;

    public Linear(int inFeatures, int outFeatures, Rng rng) {
        this(inFeatures, outFeatures, true, rng);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("Linear: features must be positive, got in " + inFeatures + ", out "
                    + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        double bound = 1 / Math.sqrt(inFeatures);
        this.weight = registerParameter("weight", Init.uniform_(Tensor.zeros(outFeatures, inFeatures), -bound, bound, rng));
        this.bias = bias ? registerParameter("bias", Init.uniform_(Tensor.zeros(outFeatures), -bound, bound, rng)) : null;
    }

    public Variable weight() {
        return weight;
    }

    /** The bias, or null. */
    public @Nullable Variable bias() {
        return bias;
    }

    @Override
    public Variable forward(Variable input) {
        return F.linear(input, weight, bias);
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + Repr.flag(bias != null);
    }
}
