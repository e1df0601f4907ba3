package dev.descent.nn;

import dev.descent.tensor.PoolSpec;

/**
 * What {@link MaxPool2d} and {@link AvgPool2d} share: the window geometry, and its printed form, which keeps
 * each argument as it was given (an {@code int} prints as {@code 2}, an {@code int[]} as {@code (2, 2)}), as
 * PyTorch prints what the user passed.
 */
abstract class Pool2d extends Layer {
    private final PoolSpec spec;
    private final String kernelRepr;
    private final String strideRepr;
    private final String paddingRepr;

    Pool2d(int kernel, int stride, int padding, boolean countIncludePad) {
        this.spec = new PoolSpec(kernel, kernel, stride, stride, padding, padding, countIncludePad);
        this.kernelRepr = Integer.toString(kernel);
        this.strideRepr = Integer.toString(stride);
        this.paddingRepr = Integer.toString(padding);
    }

    Pool2d(int[] kernel, int[] stride, int[] padding, boolean countIncludePad) {
        if (kernel.length != 2 || stride.length != 2 || padding.length != 2) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": kernel, stride and padding need two"
                    + " entries (height, width), got " + java.util.Arrays.toString(kernel) + ", "
                    + java.util.Arrays.toString(stride) + ", " + java.util.Arrays.toString(padding));
        }
        this.spec = new PoolSpec(kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], countIncludePad);
        this.kernelRepr = Repr.tuple(kernel);
        this.strideRepr = Repr.tuple(stride);
        this.paddingRepr = Repr.tuple(padding);
    }

    final PoolSpec spec() {
        return spec;
    }

    /** {@code kernel_size=.., stride=.., padding=..}, the start of both pools' printed forms. */
    final String geometryRepr() {
        return "kernel_size=" + kernelRepr + ", stride=" + strideRepr + ", padding=" + paddingRepr;
    }
}
