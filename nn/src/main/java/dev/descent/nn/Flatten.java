package dev.descent.nn;

import dev.descent.autograd.Variable;

/**
 * Merges the axes {@code startDim..endDim} (inclusive; negative counts from the end) into one, as
 * {@code torch.nn.Flatten}; by default every axis but the batch axis.
 */
public final class Flatten extends Layer {
    private final int startDim;
    private final int endDim;

    /** Flattens axes 1 to -1. */
    public Flatten() {
        this(1, -1);
    }

    /** Flattens axes {@code startDim} to {@code endDim}, both inclusive. */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    /** {@code input} with the axes merged (a view when the layout allows). */
    @Override
    public Variable forward(Variable input) {
        return input.flatten(startDim, endDim);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
