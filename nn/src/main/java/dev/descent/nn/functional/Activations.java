package dev.descent.nn.functional;

import dev.descent.autograd.Variable;

/** Activation functions not already on {@link Variable}. */
final class Activations {
    private Activations() {
    }

    /** x where x > 0, else slope * x (the gradient is slope where x <= 0, as PyTorch). */
    static Variable leakyRelu(Variable x, double slope) {
        return Variable.where(x.value().gt(0), x, x.mul(slope));
    }
}
