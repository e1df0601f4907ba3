package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Rng;

/**
 * Adds a position vector to each position of a sequence: input [N, T, dim] (or [T, dim]) with T at most
 * {@code maxLen}, output of the same shape, {@code x[..., t, :] + P[t, :]}. The table P is fixed
 * ({@link SinusoidalPositionalEncoding}) or learned ({@link LearnedPositionalEncoding}).
 */
public abstract sealed class PositionalEncoding extends Layer
        permits SinusoidalPositionalEncoding, LearnedPositionalEncoding {
    /** The two kinds of table. */
    public enum Kind {
        /** Vaswani et al.'s fixed sines and cosines. */
        SINUSOIDAL,
        /** A trained table. */
        LEARNED
    }

    private final int maxLen;
    private final int dim;

    PositionalEncoding(int maxLen, int dim) {
        if (maxLen < 1 || dim < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": maxLen " + maxLen + " and dim " + dim
                    + " must be positive");
        }
        this.maxLen = maxLen;
        this.dim = dim;
    }

    /** An encoding of {@code kind} for up to {@code maxLen} positions of width {@code dim}. */
    public static PositionalEncoding create(Kind kind, int maxLen, int dim, Rng rng) {
        return switch (kind) {
            case SINUSOIDAL -> new SinusoidalPositionalEncoding(maxLen, dim);
            case LEARNED -> new LearnedPositionalEncoding(maxLen, dim, rng);
        };
    }

    /** The largest sequence length accepted. */
    public final int maxLen() {
        return maxLen;
    }

    /** The width of each position vector. */
    public final int dim() {
        return dim;
    }

    /** The table P [maxLen, dim]. */
    protected abstract Variable table();

    @Override
    public final Variable forward(Variable input) {
        if (input.dim() < 2 || input.size(-1) != dim || input.size(-2) > maxLen) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input of shape " + input.shape()
                    + " should be [..., T, " + dim + "] with T <= " + maxLen);
        }
        return input.add(table().narrow(0, 0, input.size(-2)));
    }

    @Override
    protected String extraRepr() {
        return maxLen + ", " + dim;
    }
}
