package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;

/**
 * The mean over each window of {@code [N, C, H, W]} (or {@code [C, H, W]}), as {@code torch.nn.AvgPool2d}
 * with {@code ceil_mode=False}: zero padding, at most half the kernel, which counts in the divisor when
 * {@code countIncludePad} (PyTorch's default) and not otherwise.
 */
public final class AvgPool2d extends Pool2d {
    /** A square window whose stride is its size (PyTorch's {@code stride=None}). */
    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0, true);
    }

    /** A square window with the given stride. */
    public AvgPool2d(int kernelSize, int stride) {
        this(kernelSize, stride, 0, true);
    }

    /** A square window with the given stride and padding; the padding counts in the divisor. */
    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(kernelSize, stride, padding, true);
    }

    /** A square window with the given stride and padding, and whether the padding counts in the divisor. */
    public AvgPool2d(int kernelSize, int stride, int padding, boolean countIncludePad) {
        super(kernelSize, stride, padding, countIncludePad);
    }

    /** Window, stride and padding per axis ({height, width}), and whether the padding counts in the divisor. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean countIncludePad) {
        super(kernelSize, stride, padding, countIncludePad);
    }

    /** Each window's mean: [N, C, OH, OW]. */
    @Override
    public Variable forward(Variable input) {
        return F.avgPool2d(input, spec());
    }

    @Override
    protected String extraRepr() {
        return geometryRepr();
    }
}
