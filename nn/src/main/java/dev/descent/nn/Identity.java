package dev.descent.nn;

import dev.descent.autograd.Variable;

/** Returns its input, as {@code torch.nn.Identity}: a placeholder where a layer is optional. */
public final class Identity extends Layer {
    /** The layer; it has no parameters. */
    public Identity() {
    }

    /** {@code input} itself. */
    @Override
    public Variable forward(Variable input) {
        return input;
    }
}
