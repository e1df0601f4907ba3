package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;

/** GELU, the erf form by default or the tanh approximation, as {@code torch.nn.GELU(approximate=...)}. */
public final class GELU extends Layer {
    private final boolean tanhApproximation;

    public GELU() {
        this(false);
    }

    public GELU(boolean tanhApproximation) {
        this.tanhApproximation = tanhApproximation;
    }

    @Override
    public Variable forward(Variable input) {
        return F.gelu(input, tanhApproximation);
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + (tanhApproximation ? "tanh" : "none") + "'";
    }
}
