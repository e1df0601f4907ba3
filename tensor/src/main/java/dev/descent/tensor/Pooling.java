package dev.descent.tensor;


/**
 * 1-D and 2-D max and average pooling and their gradients, with PyTorch's semantics: input
 * {@code [N, C, L]} or {@code [N, C, H, W]}; padding counts as -infinity for max pooling and as zero for
 * average pooling; {@code countIncludePad} is PyTorch's {@code count_include_pad}. Max pooling also
 * returns the flat position {@code h * W + w} (just {@code l} in 1-D) of each maximum within its input
 * plane, the first one on ties; a NaN in a window is its maximum. Output sizes are
 * {@code (H + 2 padding - kernel) / stride + 1} (PyTorch's {@code ceil_mode=False}), and padding may be at
 * most half the kernel.
 *
 * <p>The backward functions are what a backward rule needs: they take the gradient of the output, the
 * input shape and the same geometry, and return the gradient of the input. Inputs may be any strided
 * views; results are new contiguous tensors. Every argument error is an {@link IllegalArgumentException}
 * naming the operation and every shape involved.
 */
public final class Pooling {
    private Pooling() {
    }

    /** Max pooling of x {@code [N, C, L]} over windows of {@code kernel} elements. */
    public static Tensor.ValuesAndIndices maxPool1d(Tensor x, int kernel, int stride, int padding) {
        Check c = Check.oneD("maxPool1d", kernel, stride, padding, true, x.shape(), null, null);
        c.floats("input", x);
        return maxPool(c, x.unsqueeze(2), c.outputShape());
    }

    /** Max pooling of x {@code [N, C, H, W]}. */
    public static Tensor.ValuesAndIndices maxPool2d(Tensor x, PoolSpec spec) {
        Check c = new Check("maxPool2d", 2, spec, x.shape(), null, null);
        c.floats("input", x);
        return maxPool(c, x, c.outputShape());
    }

    /**
     * The gradient of {@link #maxPool1d}: each element of gradOut {@code [N, C, OL]} goes to the position its
     * index (from the forward pass) names in a zero tensor of {@code inputShape}; positions chosen by several
     * windows add up.
     */
    public static Tensor maxPool1dBackward(Tensor gradOut, Tensor indices, Shape inputShape, int kernel, int stride,
                                           int padding) {
        Check c = Check.oneD("maxPool1dBackward", kernel, stride, padding, true, inputShape, gradOut.shape(),
                indices.shape());
        c.maxBackward(gradOut, indices);
        Tensor gradIn = Tensor.allocate(gradOut.backend(), gradOut.dtype(), inputShape);
        c.routeMaxima(gradOut.unsqueeze(2), indices.unsqueeze(2), gradIn.unsqueeze(2));
        return gradIn;
    }

    /** The gradient of {@link #maxPool2d}, as {@link #maxPool1dBackward} for planes. */
    public static Tensor maxPool2dBackward(Tensor gradOut, Tensor indices, Shape inputShape, PoolSpec spec) {
        Check c = new Check("maxPool2dBackward", 2, spec, inputShape, gradOut.shape(), indices.shape());
        c.maxBackward(gradOut, indices);
        Tensor gradIn = Tensor.allocate(gradOut.backend(), gradOut.dtype(), inputShape);
        c.routeMaxima(gradOut, indices, gradIn);
        return gradIn;
    }

    /** Average pooling of x {@code [N, C, L]} over windows of {@code kernel} elements. */
    public static Tensor avgPool1d(Tensor x, int kernel, int stride, int padding, boolean countIncludePad) {
        Check c = Check.oneD("avgPool1d", kernel, stride, padding, countIncludePad, x.shape(), null, null);
        c.floats("input", x);
        Tensor out = Tensor.allocate(x.backend(), x.dtype(), c.outputShape());
        x.backend().avgPool2d(c.spec, x.unsqueeze(2), out.unsqueeze(2));
        return out;
    }

    /** Average pooling of x {@code [N, C, H, W]}. */
    public static Tensor avgPool2d(Tensor x, PoolSpec spec) {
        Check c = new Check("avgPool2d", 2, spec, x.shape(), null, null);
        c.floats("input", x);
        Tensor out = Tensor.allocate(x.backend(), x.dtype(), c.outputShape());
        x.backend().avgPool2d(spec, x, out);
        return out;
    }

    /** The gradient of {@link #avgPool1d}: each window spreads its gradient evenly over the divisor's elements. */
    public static Tensor avgPool1dBackward(Tensor gradOut, Shape inputShape, int kernel, int stride, int padding,
                                           boolean countIncludePad) {
        Check c = Check.oneD("avgPool1dBackward", kernel, stride, padding, countIncludePad, inputShape,
                gradOut.shape(), null);
        c.avgBackward(gradOut);
        Tensor gradIn = Tensor.allocate(gradOut.backend(), gradOut.dtype(), inputShape);
        gradOut.backend().avgPool2dBackward(c.spec, gradOut.unsqueeze(2), gradIn.unsqueeze(2));
        return gradIn;
    }

    /** The gradient of {@link #avgPool2d}. */
    public static Tensor avgPool2dBackward(Tensor gradOut, Shape inputShape, PoolSpec spec) {
        Check c = new Check("avgPool2dBackward", 2, spec, inputShape, gradOut.shape(), null);
        c.avgBackward(gradOut);
        Tensor gradIn = Tensor.allocate(gradOut.backend(), gradOut.dtype(), inputShape);
        gradOut.backend().avgPool2dBackward(spec, gradOut, gradIn);
        return gradIn;
    }

    /** Runs the kernel on the 4-D view {@code x4}; the results have the caller's rank ({@code outShape}). */
    private static Tensor.ValuesAndIndices maxPool(Check c, Tensor x4, Shape outShape) {
        Tensor values = Tensor.allocate(x4.backend(), x4.dtype(), outShape);
        Tensor indices = Tensor.allocate(x4.backend(), DType.INT64, outShape);
        Tensor v4 = c.spatial == 1 ? values.unsqueeze(2) : values;
        Tensor i4 = c.spatial == 1 ? indices.unsqueeze(2) : indices;
        x4.backend().maxPool2d(c.spec, x4, v4, i4);
        return new Tensor.ValuesAndIndices(values, indices);
    }

    /**
     * Validation of one call. Every message starts with the operation's name and names the input and (for
     * the backward functions) gradOut and indices shapes, inline where they are at fault and in a trailer
     * otherwise.
     */
    private static final class Check {
        final String op;
        final int spatial;
        final PoolSpec spec;
        final Shape input;
        final Shape gradOut;
        final Shape indices;

        Check(String op, int spatial, PoolSpec spec, Shape input, Shape gradOut, Shape indices) {
            this.op = op;
            this.spatial = spatial;
            this.spec = spec;
            this.input = input;
            this.gradOut = gradOut;
            this.indices = indices;
        }

        /** The 1-D geometry as a 2-D spec with a window of height 1. */
        static Check oneD(String op, int kernel, int stride, int padding, boolean countIncludePad, Shape input,
                          Shape gradOut, Shape indices) {
            Check c = new Check(op, 1, null, input, gradOut, indices);
            if (kernel < 1 || stride < 1 || padding < 0) {
                throw c.fail("invalid geometry: kernel " + kernel + ", stride " + stride + ", padding " + padding
                        + " (kernel and stride must be >= 1, padding >= 0)");
            }
            if (padding * 2 > kernel) {
                throw c.fail("padding " + padding + " must be at most half the kernel " + kernel);
            }
            PoolSpec spec = new PoolSpec(1, kernel, 1, stride, 0, padding, countIncludePad);
            return new Check(op, 1, spec, input, gradOut, indices);
        }

        void floats(String name, Tensor t) {
            if (!t.dtype().isFloatingPoint()) {
                throw fail("expects a FLOAT32 or FLOAT64 " + name + ", got " + name + " " + t.shape() + " of dtype "
                        + t.dtype());
            }
        }

        void avgBackward(Tensor g) {
            floats("gradOut", g);
            checkGradOut(outputShape());
        }

        void maxBackward(Tensor g, Tensor idx) {
            floats("gradOut", g);
            if (idx.dtype() != DType.INT64) {
                throw fail("expects INT64 indices, got indices " + idx.shape() + " of dtype " + idx.dtype());
            }
            if (!g.device().equals(idx.device())) {
                throw fail("gradOut " + g.shape() + " is on " + g.device() + " but indices " + idx.shape()
                        + " is on " + idx.device());
            }
            checkGradOut(outputShape());
            if (!indices.equals(gradOut)) {
                throw fail("indices " + indices + " and gradOut " + gradOut + " differ in shape");
            }
        }

        /** Runs the max backward kernel, naming this operation when an index lies outside its input plane. */
        void routeMaxima(Tensor g, Tensor idx, Tensor gradIn) {
            try {
                g.backend().maxPool2dBackward(spec, g, idx, gradIn);
            } catch (IllegalArgumentException e) {
                throw fail("bad indices " + indices + " for input " + input + ": " + e.getMessage());
            }
        }

        private void checkGradOut(Shape out) {
            if (!gradOut.equals(out)) {
                throw fail("gradOut " + gradOut + " does not match the output shape " + out + " of input " + input
                        + " with " + geometry());
            }
        }

        /** Checks the input shape against the window and returns the output shape. */
        Shape outputShape() {
            if (input.rank() != spatial + 2) {
                throw fail("expects input " + (spatial == 1 ? "[N, C, L]" : "[N, C, H, W]") + ", got input " + input);
            }
            for (int d = 1; d < input.rank(); d++) {
                if (input.get(d) == 0) {
                    throw fail("input " + input + " has a zero-size dimension other than the batch");
                }
            }
            int w = input.get(-1);
            int h = spatial == 2 ? input.get(2) : 1;
            // checked here rather than from the output size, so the message can name the window
            if (w + 2 * spec.padW() < spec.kernelW() || h + 2 * spec.padH() < spec.kernelH()) {
                throw fail("input " + input + " is smaller than the window: " + geometry());
            }
            int ow = spec.outWidth(w);
            return spatial == 2 ? Shape.of(input.get(0), input.get(1), spec.outHeight(h), ow)
                    : Shape.of(input.get(0), input.get(1), ow);
        }

        private String geometry() {
            if (spatial == 1) {
                return "kernel " + spec.kernelW() + ", stride " + spec.strideW() + ", padding " + spec.padW();
            }
            return "kernel (" + spec.kernelH() + ", " + spec.kernelW() + "), stride (" + spec.strideH() + ", "
                    + spec.strideW() + "), padding (" + spec.padH() + ", " + spec.padW() + ")";
        }

        /** The error for {@code reason}, followed by any shape the reason did not name. */
        IllegalArgumentException fail(String reason) {
            return ShapeErrors.of(op, reason, new String[] {"input", "gradOut", "indices"}, input, gradOut, indices);
        }
    }
}
