package dev.descent.nn;

import dev.descent.autograd.Variable;

/** max(x, 0), as {@code torch.nn.ReLU}. */
public final class ReLU extends Layer {
    @Override
    public Variable forward(Variable input) {
        return input.relu();
    }
}
