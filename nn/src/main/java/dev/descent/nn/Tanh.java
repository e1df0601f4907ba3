package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;

/** The hyperbolic tangent, as {@code torch.nn.Tanh}. */
public final class Tanh extends Layer {
    /** The layer; it has no parameters. */
    public Tanh() {
    }

    /** The activation, elementwise. */
    @Override
    public Variable forward(Variable input) {
        return F.tanh(input);
    }
}
