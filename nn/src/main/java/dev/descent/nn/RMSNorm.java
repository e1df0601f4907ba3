package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * Root-mean-square normalisation over the trailing {@code normalizedShape}, as {@code torch.nn.RMSNorm}
 * (PyTorch 2.4+): {@code x / sqrt(mean(x^2) + eps) * weight}, weight ones. The default eps is PyTorch's
 * {@code eps=None}: the machine epsilon of the input's dtype (2^-23 for FLOAT32, 2^-52 for FLOAT64).
 */
public final class RMSNorm extends Layer {
    private final int[] normalizedShape;
    private final @Nullable Double eps;
    private final Variable weight;

    /** eps from the input's dtype, with a weight. */
    public RMSNorm(int... normalizedShape) {
        this(normalizedShape, null, true);
    }

    /** Every option; a null {@code eps} means the machine epsilon of the input's dtype. */
    public RMSNorm(int[] normalizedShape, @Nullable Double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException("RMSNorm: the normalized shape must have at least one dimension");
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
    }

    /** The machine epsilon of a floating-point dtype: the gap between 1 and the next larger number. */
    static double machineEpsilon(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> Math.ulp(1.0f);
            case FLOAT64 -> Math.ulp(1.0);
            default -> throw new IllegalArgumentException("RMSNorm: expected a floating-point input, got " + dtype);
        };
    }

    /** The normalised input, of its shape. */
    @Override
    public Variable forward(Variable input) {
        double e = eps != null ? eps : machineEpsilon(input.dtype());
        return F.rmsNorm(input, normalizedShape, weight, e);
    }

    @Override
    protected String extraRepr() {
        return Repr.tuple(normalizedShape) + ", eps=" + (eps == null ? "None" : Repr.num(eps))
                + ", elementwise_affine=" + Repr.flag(weight != null);
    }
}
