package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;

/**
 * Average pooling of {@code [N, C, H, W]} (or {@code [C, H, W]}) to a fixed output size, as
 * {@code torch.nn.AdaptiveAvgPool2d}: output cell i of an axis of length {@code in} averages the inputs
 * {@code [floor(i in / out), ceil((i + 1) in / out))}, so windows may differ in size and overlap when
 * {@code in} is not a multiple of {@code out}.
 */
public final class AdaptiveAvgPool2d extends Layer {
    private final int outH;
    private final int outW;
    private final boolean square;

    /** A square output {@code size x size}. */
    public AdaptiveAvgPool2d(int size) {
        this(size, size, true);
    }

    /** An output of {@code height x width}. */
    public AdaptiveAvgPool2d(int height, int width) {
        this(height, width, false);
    }

    private AdaptiveAvgPool2d(int height, int width, boolean square) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size (" + height + ", " + width
                    + ") must be positive");
        }
        this.outH = height;
        this.outW = width;
        this.square = square;
    }

    /** The pooled input: [N, C, height, width]. */
    @Override
    public Variable forward(Variable input) {
        return F.adaptiveAvgPool2d(input, outH, outW);
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + (square ? Integer.toString(outH) : Repr.tuple(outH, outW));
    }
}
