package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;

/**
 * The maximum over each window of {@code [N, C, H, W]} (or {@code [C, H, W]}), as {@code torch.nn.MaxPool2d}
 * with dilation 1 and {@code ceil_mode=False}; padding is implicit -infinity and at most half the kernel. The
 * gradient goes to the first maximum of each window.
 */
public final class MaxPool2d extends Pool2d {
    /** A square window whose stride is its size (PyTorch's {@code stride=None}). */
    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    /** A square window with the given stride. */
    public MaxPool2d(int kernelSize, int stride) {
        this(kernelSize, stride, 0);
    }

    /** A square window with the given stride and padding on every side. */
    public MaxPool2d(int kernelSize, int stride, int padding) {
        super(kernelSize, stride, padding, true);
    }

    /** Window, stride and padding per axis ({height, width}). */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding) {
        super(kernelSize, stride, padding, true);
    }

    /** Each window's maximum: [N, C, OH, OW]. */
    @Override
    public Variable forward(Variable input) {
        return F.maxPool2d(input, spec());
    }

    @Override
    protected String extraRepr() {
        return geometryRepr() + ", dilation=1, ceil_mode=False";
    }
}
