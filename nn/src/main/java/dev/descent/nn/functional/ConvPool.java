package dev.descent.nn.functional;

import dev.descent.autograd.Variable;
import dev.descent.tensor.ConvSpec;
import dev.descent.tensor.PoolSpec;

/** Convolutions with bias, pooling and adaptive pooling. */
final class ConvPool {
    private ConvPool() {
    }

    static Variable conv1d(Variable x, Variable w, Variable b, int stride, int padding, int dilation, int groups) { throw new UnsupportedOperationException("being written"); }
    static Variable conv2d(Variable x, Variable w, Variable b, ConvSpec spec) { throw new UnsupportedOperationException("being written"); }
    static Variable maxPool1d(Variable x, int kernel, int stride, int padding) { throw new UnsupportedOperationException("being written"); }
    static Variable maxPool2d(Variable x, PoolSpec spec) { throw new UnsupportedOperationException("being written"); }
    static Variable avgPool1d(Variable x, int kernel, int stride, int padding, boolean countIncludePad) { throw new UnsupportedOperationException("being written"); }
    static Variable avgPool2d(Variable x, PoolSpec spec) { throw new UnsupportedOperationException("being written"); }
    static Variable adaptiveAvgPool2d(Variable x, int outH, int outW) { throw new UnsupportedOperationException("being written"); }
}
