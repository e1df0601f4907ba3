package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.tensor.ConvSpec;
import dev.descent.tensor.Rng;

/**
 * 2-D convolution of {@code [N, C, H, W]} (or unbatched {@code [C, H, W]}), as {@code torch.nn.Conv2d}: weight
 * {@code [out, in / groups, kh, kw]} and bias {@code [out]}, both U(-1/sqrt(fanIn), 1/sqrt(fanIn)) with
 * {@code fanIn = in / groups * kh * kw} (PyTorch's Kaiming-uniform with a = sqrt(5), and its bias rule). An
 * {@code int} geometry argument applies to both axes, an {@code int[]} gives (height, width). Padding is a
 * number of zeros on each side, or {@code "same"} (output size = input size; stride 1 only; an even kernel
 * pads one more zero after than before, as PyTorch) or {@code "valid"} (none).
 */
public final class Conv2d extends ConvNd {
    private final ConvSpec spec;

    /** Square kernel, stride 1, no padding, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, Rng rng) {
        this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true, rng);
    }

    /** Square kernel with the given stride and zero padding, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Rng rng) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, true, rng);
    }

    /** Every option, the same on both axes, with the padding as a number. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups,
                  boolean bias, Rng rng) {
        this(inChannels, outChannels, pair(kernelSize), pair(stride), pair(padding), pair(dilation), groups, bias, rng);
    }

    /** Square kernel, stride 1 and padding {@code "same"} or {@code "valid"}, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, String padding, Rng rng) {
        this(inChannels, outChannels, pair(kernelSize), pair(1), padding, pair(1), 1, true, rng);
    }

    /** Every option per axis ({height, width}), with the padding as numbers. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                  int groups, boolean bias, Rng rng) {
        super("Conv2d", inChannels, outChannels, kernelSize, stride, padding, null, dilation, groups, bias, rng);
        this.spec = kernelSpec();
    }

    /** Every option per axis ({height, width}), with padding {@code "same"} or {@code "valid"}. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, String padding, int[] dilation,
                  int groups, boolean bias, Rng rng) {
        super("Conv2d", inChannels, outChannels, kernelSize, stride, null, padding, dilation, groups, bias, rng);
        this.spec = kernelSpec();
    }

    private static int[] pair(int v) {
        return new int[] {v, v};
    }

    private ConvSpec kernelSpec() {
        int[] s = stride();
        int[] p = kernelPadding();
        int[] d = dilation();
        return new ConvSpec(s[0], s[1], p[0], p[1], d[0], d[1], groups());
    }

    /** The convolution of {@code input} [N, in, H, W] (or [in, H, W]) plus the bias. */
    @Override
    public Variable forward(Variable input) {
        return F.conv2d(padIfAsymmetric(input), weight(), bias(), spec);
    }
}
