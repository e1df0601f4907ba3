package dev.descent.autograd;

import dev.descent.tensor.Tensor;

/** Differentiable indexing: the gathers and their adjoint scatters. */
final class Indexing {
    private Indexing() {
    }

    static Variable indexSelect(Variable x, int axis, Tensor index) { throw new UnsupportedOperationException("being written"); }
    static Variable gather(Variable x, int axis, Tensor index) { throw new UnsupportedOperationException("being written"); }
    static Variable scatterAdd(Variable x, int axis, Tensor index, Variable src) { throw new UnsupportedOperationException("being written"); }
    static Variable take(Variable x, Tensor index) { throw new UnsupportedOperationException("being written"); }
}
