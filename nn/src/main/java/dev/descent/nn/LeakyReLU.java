package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;

/** x where x > 0, else {@code negativeSlope * x}, as {@code torch.nn.LeakyReLU}; slope 0.01 by default. */
public final class LeakyReLU extends Layer {
    private final double negativeSlope;

    /** Slope 0.01. */
    public LeakyReLU() {
        this(0.01);
    }

    /** The given slope for negative inputs. */
    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    /** The activation, elementwise. */
    @Override
    public Variable forward(Variable input) {
        return F.leakyRelu(input, negativeSlope);
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + Repr.num(negativeSlope);
    }
}
