package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.init.Init;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;

/**
 * A trained positional table, parameter {@code weight} [maxLen, dim], initialised N(0, 1) as
 * {@code nn.Embedding(maxLen, dim)} (the usual way to write it in PyTorch).
 */
public final class LearnedPositionalEncoding extends PositionalEncoding {
    private final Variable weight;

    /** A table for up to {@code maxLen} positions of width {@code dim}, drawn from {@code rng}. */
    public LearnedPositionalEncoding(int maxLen, int dim, Rng rng) {
        super(maxLen, dim);
        this.weight = registerParameter("weight", Init.normal_(Tensor.zeros(maxLen, dim), 0, 1, rng));
    }

    /** The table [maxLen, dim]. */
    public Variable weight() {
        return weight;
    }

    @Override
    protected Variable table() {
        return weight;
    }
}
