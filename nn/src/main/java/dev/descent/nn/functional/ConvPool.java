package dev.descent.nn.functional;

import dev.descent.autograd.Variable;
import dev.descent.tensor.ConvSpec;
import dev.descent.tensor.PoolSpec;
import dev.descent.tensor.Tensor;
import java.util.function.UnaryOperator;

/**
 * Convolutions with bias, pooling and adaptive pooling, built on the differentiable kernels of
 * {@link Variable}, so every result can be differentiated to any order. As in PyTorch, an unbatched input
 * ({@code [C, L]} or {@code [C, H, W]}) is treated as a batch of one and returned without the batch axis.
 */
final class ConvPool {
    private ConvPool() {
    }

    static Variable conv1d(Variable x, Variable w, Variable b, int stride, int padding, int dilation, int groups) {
        return batched(x, 3, "conv1d", v -> addBias(v.conv1d(w, stride, padding, dilation, groups), b));
    }

    static Variable conv2d(Variable x, Variable w, Variable b, ConvSpec spec) {
        if (b != null && (b.dim() != 1 || b.size(0) != w.size(0))) {
            throw new IllegalArgumentException("conv2d: bias of shape " + b.shape() + " does not match the "
                    + w.size(0) + " output channels of weight " + w.shape());
        }
        return batched(x, 4, "conv2d", v -> v.conv2d(w, b, spec)); // the bias added as the output is written
    }

    static Variable maxPool1d(Variable x, int kernel, int stride, int padding) {
        return batched(x, 3, "maxPool1d", v -> v.maxPool1d(kernel, stride, padding));
    }

    static Variable maxPool2d(Variable x, PoolSpec spec) {
        return batched(x, 4, "maxPool2d", v -> v.maxPool2d(spec));
    }

    static Variable avgPool1d(Variable x, int kernel, int stride, int padding, boolean countIncludePad) {
        return batched(x, 3, "avgPool1d", v -> v.avgPool1d(kernel, stride, padding, countIncludePad));
    }

    static Variable avgPool2d(Variable x, PoolSpec spec) {
        return batched(x, 4, "avgPool2d", v -> v.avgPool2d(spec));
    }

    /**
     * Output cell {@code i} of an axis of length {@code in} averages input positions
     * {@code [floor(i in / out), ceil((i + 1) in / out))}, PyTorch's rule. The windows of the two axes are
     * independent, so the pooling is done one axis at a time.
     */
    static Variable adaptiveAvgPool2d(Variable x, int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: output size (" + outH + ", " + outW
                    + ") must be positive");
        }
        return batched(x, 4, "adaptiveAvgPool2d", v -> {
            if (v.size(2) < 1 || v.size(3) < 1) {
                throw new IllegalArgumentException("adaptiveAvgPool2d: input of shape " + v.shape()
                        + " has an empty spatial dimension");
            }
            return adaptiveAverage(adaptiveAverage(v, 2, outH), 3, outW);
        });
    }

    // ------------------------------------------------------------------ helpers

    /** {@code fn} applied to x as a batch of rank {@code rank}, adding and removing the batch axis when x lacks it. */
    private static Variable batched(Variable x, int rank, String op, UnaryOperator<Variable> fn) {
        if (x.dim() == rank) {
            return fn.apply(x);
        }
        if (x.dim() == rank - 1) {
            return fn.apply(x.unsqueeze(0)).squeeze(0);
        }
        throw new IllegalArgumentException(op + ": expected a " + (rank - 1) + "-d (unbatched) or " + rank
                + "-d (batched) input, got shape " + x.shape());
    }

    /** y + b with b [O] broadcast over the batch and spatial axes of y [N, O, ...]. */
    private static Variable addBias(Variable y, Variable b) {
        if (b == null) {
            return y;
        }
        if (b.dim() != 1 || b.size(0) != y.size(1)) {
            throw new IllegalArgumentException("conv: bias of shape " + b.shape() + " does not match the "
                    + y.size(1) + " output channels");
        }
        int[] shape = new int[y.dim()];
        java.util.Arrays.fill(shape, 1);
        shape[1] = b.size(0);
        return y.add(b.reshape(shape));
    }

    /** Adaptive average pooling of one axis of a rank-4 tensor to length {@code out}. */
    private static Variable adaptiveAverage(Variable x, int axis, int out) {
        int in = x.size(axis);
        if (in == out) {
            return x;
        }
        if (in % out == 0) {
            // uniform windows of in / out: split the axis in two and average the inner one
            int[] shape = new int[x.dim() + 1];
            for (int d = 0, s = 0; d < x.dim(); d++) {
                if (d == axis) {
                    shape[s++] = out;
                    shape[s++] = in / out;
                } else {
                    shape[s++] = x.size(d);
                }
            }
            return x.reshape(shape).mean(new int[] {axis + 1}, false);
        }
        // uneven (possibly overlapping) windows: a linear map along the axis, P [out, in] with rows 1 / |window|
        Variable p = Variable.constant(poolingMatrix(in, out, x.value()));
        if (axis == x.dim() - 2) {
            return p.matmul(x);
        }
        if (axis == x.dim() - 1) {
            return x.matmul(p.t());
        }
        throw new IllegalArgumentException("adaptiveAverage: axis " + axis + " is not one of the last two");
    }

    /** The [out, in] matrix whose row i averages PyTorch's adaptive window i, as the dtype and device of like. */
    private static Tensor poolingMatrix(int in, int out, Tensor like) {
        double[] p = new double[out * in];
        for (int i = 0; i < out; i++) {
            int start = (int) ((long) i * in / out);
            int end = (int) (((long) (i + 1) * in + out - 1) / out);
            for (int j = start; j < end; j++) {
                p[i * in + j] = 1.0 / (end - start);
            }
        }
        return Tensor.of(p, out, in).cast(like.dtype()).to(like.device());
    }
}
