package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.init.Init;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Conv1d} and {@link Conv2d} share, as PyTorch's {@code _ConvNd}: the geometry, PyTorch's default
 * initialisation, the padding modes {@code "same"} and {@code "valid"}, and the printed form.
 *
 * <p>{@code "same"} pads {@code dilation (k - 1)} in all per axis, half before and the rest after; when that
 * total is odd the padding is asymmetric, which the convolution kernels cannot express, so the input is padded
 * explicitly instead (PyTorch does the same).
 */
abstract class ConvNd extends Layer {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] dilation;
    private final int groups;
    /** "same" or "valid", or null when the padding was given as numbers. */
    private final String paddingMode;
    private final int[] padBefore;
    private final int[] padAfter;
    private final Variable weight;
    private final Variable bias;

    ConvNd(String name, int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding,
           String paddingMode, int[] dilation, int groups, boolean bias, Rng rng) {
        int rank = kernelSize.length;
        if (padding == null && paddingMode == null) {
            throw new IllegalArgumentException(name + ": padding must be numbers, 'same' or 'valid', not null");
        }
        checkGeometry(name, rank, inChannels, outChannels, kernelSize, stride, padding, dilation, groups);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize.clone();
        this.stride = stride.clone();
        this.dilation = dilation.clone();
        this.groups = groups;
        this.paddingMode = paddingMode;
        this.padBefore = new int[rank];
        this.padAfter = new int[rank];
        resolvePadding(name, padding);
        int[] weightShape = new int[rank + 2];
        weightShape[0] = outChannels;
        weightShape[1] = inChannels / groups;
        System.arraycopy(kernelSize, 0, weightShape, 2, rank);
        // PyTorch's reset_parameters: Kaiming-uniform with a = sqrt(5), i.e. U(-1/sqrt(fanIn), 1/sqrt(fanIn)),
        // and the bias from the same bound
        Tensor w = Tensor.zeros(weightShape);
        Init.kaimingUniform_(w, Math.sqrt(5), Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, rng);
        this.weight = registerParameter("weight", w);
        double bound = 1 / Math.sqrt(Init.fans(w)[0]);
        this.bias = bias
                ? registerParameter("bias", Init.uniform_(Tensor.zeros(outChannels), -bound, bound, rng))
                : null;
    }

    private static void checkGeometry(String name, int rank, int in, int out, int[] kernel, int[] stride,
                                      int[] padding, int[] dilation, int groups) {
        if (stride.length != rank || dilation.length != rank || (padding != null && padding.length != rank)) {
            throw new IllegalArgumentException(name + ": kernel " + Arrays.toString(kernel) + ", stride "
                    + Arrays.toString(stride) + ", padding " + Arrays.toString(padding) + " and dilation "
                    + Arrays.toString(dilation) + " must each have " + rank + " entries");
        }
        if (in < 1 || out < 1 || groups < 1 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(name + ": in_channels " + in + " and out_channels " + out
                    + " must be positive and divisible by groups " + groups);
        }
        for (int d = 0; d < rank; d++) {
            if (kernel[d] < 1 || stride[d] < 1 || dilation[d] < 1 || (padding != null && padding[d] < 0)) {
                throw new IllegalArgumentException(name + ": kernel " + Arrays.toString(kernel) + ", stride "
                        + Arrays.toString(stride) + " and dilation " + Arrays.toString(dilation)
                        + " must be positive, padding " + Arrays.toString(padding) + " non-negative");
            }
        }
    }

    private void resolvePadding(String name, int[] padding) {
        if (paddingMode == null) {
            System.arraycopy(padding, 0, padBefore, 0, padding.length);
            System.arraycopy(padding, 0, padAfter, 0, padding.length);
        } else if (paddingMode.equals("same")) {
            for (int d = 0; d < kernelSize.length; d++) {
                if (stride[d] != 1) {
                    throw new IllegalArgumentException(name + ": padding='same' is not supported for strided"
                            + " convolutions (stride " + Arrays.toString(stride) + ")");
                }
                int total = dilation[d] * (kernelSize[d] - 1);
                padBefore[d] = total / 2;
                padAfter[d] = total - padBefore[d];
            }
        } else if (!paddingMode.equals("valid")) {
            throw new IllegalArgumentException(name + ": padding '" + paddingMode
                    + "' is not one of 'same' and 'valid'");
        }
    }

    /** The weight [out_channels, in_channels / groups, kernel...]. */
    public final Variable weight() {
        return weight;
    }

    /** The bias [out_channels], or null. */
    public final @Nullable Variable bias() {
        return bias;
    }

    final int[] stride() {
        return stride.clone();
    }

    final int[] dilation() {
        return dilation.clone();
    }

    final int groups() {
        return groups;
    }

    /** The padding the convolution kernel applies on both sides of each axis. */
    final int[] kernelPadding() {
        return Arrays.equals(padBefore, padAfter) ? padBefore.clone() : new int[padBefore.length];
    }

    /** x, zero-padded explicitly when the padding is asymmetric (otherwise the kernel pads). */
    final Variable padIfAsymmetric(Variable x) {
        if (Arrays.equals(padBefore, padAfter)) {
            return x;
        }
        // pairs from the last axis backwards, as torch.nn.functional.pad
        int rank = padBefore.length;
        int[] pairs = new int[2 * rank];
        for (int d = 0; d < rank; d++) {
            pairs[2 * d] = padBefore[rank - 1 - d];
            pairs[2 * d + 1] = padAfter[rank - 1 - d];
        }
        return x.pad(pairs, 0);
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(Repr.tuple(kernelSize)).append(", stride=").append(Repr.tuple(stride));
        if (paddingMode != null) {
            s.append(", padding=").append(paddingMode);
        } else if (Arrays.stream(padBefore).anyMatch(p -> p != 0)) {
            s.append(", padding=").append(Repr.tuple(padBefore));
        }
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) {
            s.append(", dilation=").append(Repr.tuple(dilation));
        }
        if (groups != 1) {
            s.append(", groups=").append(groups);
        }
        if (bias == null) {
            s.append(", bias=False");
        }
        return s.toString();
    }
}
