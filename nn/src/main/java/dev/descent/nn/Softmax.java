package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;

/** {@code exp(x) / sum(exp(x))} along {@code dim}, as {@code torch.nn.Softmax(dim)}; the dimension must be given. */
public final class Softmax extends Layer {
    private final int dim;

    /** Along axis {@code dim} (negative counts from the end). */
    public Softmax(int dim) {
        this.dim = dim;
    }

    /** The probabilities along {@code dim}, of the input's shape. */
    @Override
    public Variable forward(Variable input) {
        return F.softmax(input, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
