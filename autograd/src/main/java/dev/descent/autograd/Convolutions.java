package dev.descent.autograd;

import dev.descent.tensor.ConvSpec;
import dev.descent.tensor.PoolSpec;

/** Differentiable convolution and pooling, with backward kernels that are differentiable in turn. */
final class Convolutions {
    private Convolutions() {
    }

    static Variable conv1d(Variable x, Variable w, int stride, int padding, int dilation, int groups) { throw new UnsupportedOperationException("being written"); }
    static Variable conv2d(Variable x, Variable w, ConvSpec spec) { throw new UnsupportedOperationException("being written"); }
    static Variable maxPool1d(Variable x, int kernel, int stride, int padding) { throw new UnsupportedOperationException("being written"); }
    static Variable maxPool2d(Variable x, PoolSpec spec) { throw new UnsupportedOperationException("being written"); }
    static Variable avgPool1d(Variable x, int kernel, int stride, int padding, boolean countIncludePad) { throw new UnsupportedOperationException("being written"); }
    static Variable avgPool2d(Variable x, PoolSpec spec) { throw new UnsupportedOperationException("being written"); }
}
