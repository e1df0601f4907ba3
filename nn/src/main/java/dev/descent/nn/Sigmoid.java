package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;

/** 1 / (1 + exp(-x)), as {@code torch.nn.Sigmoid}. */
public final class Sigmoid extends Layer {
    /** The layer; it has no parameters. */
    public Sigmoid() {
    }

    /** The activation, elementwise. */
    @Override
    public Variable forward(Variable input) {
        return F.sigmoid(input);
    }
}
