package dev.descent.tensor.cpu;

import dev.descent.tensor.PoolSpec;
import dev.descent.tensor.Tensor;

final class PoolKernels {
    private PoolKernels() {
    }

    static void maxForward(PoolSpec spec, Tensor x, Tensor out, Tensor indices) {
        throw new IllegalStateException("PLACEHOLDER");
    }

    static void maxBackward(PoolSpec spec, Tensor gradOut, Tensor indices, Tensor gradIn) {
        throw new IllegalStateException("PLACEHOLDER");
    }

    static void avgForward(PoolSpec spec, Tensor x, Tensor out) {
        throw new IllegalStateException("PLACEHOLDER");
    }

    static void avgBackward(PoolSpec spec, Tensor gradOut, Tensor gradIn) {
        throw new IllegalStateException("PLACEHOLDER");
    }
}
