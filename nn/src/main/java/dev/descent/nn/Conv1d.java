package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.tensor.Rng;

/**
 * 1-D convolution of {@code [N, C, L]} (or unbatched {@code [C, L]}), as {@code torch.nn.Conv1d}: weight
 * {@code [out, in / groups, k]} and bias {@code [out]}, both U(-1/sqrt(fanIn), 1/sqrt(fanIn)) with
 * {@code fanIn = in / groups * k} (PyTorch's Kaiming-uniform with a = sqrt(5), and its bias rule). Padding is a
 * number of zeros on each side, or {@code "same"} (output length = input length; stride 1 only) or
 * {@code "valid"} (none).
 */
public final class Conv1d extends ConvNd {
    /** Stride 1, no padding, with bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, Rng rng) {
        this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true, rng);
    }

    /** The given stride and zero padding on both sides, with bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, Rng rng) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, true, rng);
    }

    /** Every option, with the padding as a number. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups,
                  boolean bias, Rng rng) {
        super("Conv1d", inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding},
                null, new int[] {dilation}, groups, bias, rng);
    }

    /** Stride 1 and padding {@code "same"} or {@code "valid"}, with bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, String padding, Rng rng) {
        this(inChannels, outChannels, kernelSize, 1, padding, 1, 1, true, rng);
    }

    /** Every option, with padding {@code "same"} or {@code "valid"}. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, String padding, int dilation,
                  int groups, boolean bias, Rng rng) {
        super("Conv1d", inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, null, padding,
                new int[] {dilation}, groups, bias, rng);
    }

    /** The convolution of {@code input} [N, in, L] (or [in, L]) plus the bias. */
    @Override
    public Variable forward(Variable input) {
        return F.conv1d(padIfAsymmetric(input), weight(), bias(), stride()[0], kernelPadding()[0], dilation()[0],
                groups());
    }
}
