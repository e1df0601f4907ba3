package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;

/** x * sigmoid(x), as {@code torch.nn.SiLU} (the swish of Ramachandran et al. with beta 1). */
public final class SiLU extends Layer {
    /** The layer; it has no parameters. */
    public SiLU() {
    }

    /** The activation, elementwise. */
    @Override
    public Variable forward(Variable input) {
        return F.silu(input);
    }
}
