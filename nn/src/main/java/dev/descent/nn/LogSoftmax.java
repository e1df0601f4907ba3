package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;

/** {@code x - logsumexp(x)} along {@code dim}, as {@code torch.nn.LogSoftmax(dim)}; the dimension must be given. */
public final class LogSoftmax extends Layer {
    private final int dim;

    /** Along axis {@code dim} (negative counts from the end). */
    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    /** The log-probabilities along {@code dim}, of the input's shape. */
    @Override
    public Variable forward(Variable input) {
        return F.logSoftmax(input, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
