package dev.descent.tensor.cpu;

import dev.descent.tensor.ConvSpec;
import dev.descent.tensor.Tensor;

final class ConvKernels {
    private ConvKernels() {
    }

    static void forward(ConvSpec spec, Tensor x, Tensor w, Tensor out) {
        throw new IllegalStateException("PLACEHOLDER");
    }

    static void inputGrad(ConvSpec spec, Tensor gradOut, Tensor w, Tensor gradIn) {
        throw new IllegalStateException("PLACEHOLDER");
    }

    static void weightGrad(ConvSpec spec, Tensor x, Tensor gradOut, Tensor gradW) {
        throw new IllegalStateException("PLACEHOLDER");
    }
}
