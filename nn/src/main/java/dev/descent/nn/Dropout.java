package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.tensor.Rng;

/** Zeroes elements with probability p in training mode, as {@code torch.nn.Dropout}; masks come from its Rng. */
public final class Dropout extends Layer {
    private final double p;
    private final Rng rng;

    public Dropout(double p, Rng rng) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("Dropout: probability " + p + " is not in [0, 1]");
        }
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Variable forward(Variable input) {
        return F.dropout(input, p, isTraining(), rng);
    }

    @Override
    protected String extraRepr() {
        return "p=" + Repr.num(p) + ", inplace=False";
    }
}
