package dev.descent.tensor;


/**
 * 1-D and 2-D convolutions (cross-correlations, as in PyTorch) and their gradients with respect to the
 * input and the weight. Shapes follow PyTorch: input {@code [N, C, L]} or {@code [N, C, H, W]}, weight
 * {@code [O, C / groups, K]} or {@code [O, C / groups, KH, KW]}, output {@code [N, O, OL]} or
 * {@code [N, O, OH, OW]}. There is no bias: add it with broadcasting ({@code y.add(b.reshape(1, O, 1, 1))}).
 *
 * <p>The gradient functions are what a backward rule needs: {@code conv2dInputGrad(g, w, x.shape(), spec)}
 * is {@code d<conv2d(x, w), g>/dx} and {@code conv2dWeightGrad(x, g, w.shape(), spec)} is the same
 * derivative with respect to w. The input (or weight) shape is passed explicitly because with a stride
 * above 1 several input sizes give the same output size.
 *
 * <p>A 1-D convolution is a 2-D one with height 1 and runs on the same kernels through views. Inputs may
 * be any strided views; results are new contiguous tensors. Every argument error is an
 * {@link IllegalArgumentException} naming the operation and every shape involved.
 */
public final class Convolution {
    private Convolution() {
    }

    /**
     * 1-D convolution of x {@code [N, C, L]} with w {@code [O, C / groups, K]}, giving {@code [N, O, OL]} with
     * {@code OL = (L + 2 padding - dilation (K - 1) - 1) / stride + 1}.
     *
     * @param stride step between windows, >= 1
     * @param padding zeros added at both ends, >= 0
     * @param dilation spacing between kernel taps, >= 1
     * @param groups channel groups, >= 1, dividing C and O
     */
    public static Tensor conv1d(Tensor x, Tensor w, int stride, int padding, int dilation, int groups) {
        Check c = Check.oneD("conv1d", stride, padding, dilation, groups, x.shape(), w.shape(), null);
        c.tensors("input", x, "weight", w);
        Tensor out = Tensor.allocate(x.backend(), x.dtype(), c.outputShape());
        x.backend().conv2d(c.spec, x.unsqueeze(2), w.unsqueeze(2), out.unsqueeze(2));
        return out;
    }

    /**
     * The gradient of {@link #conv1d} with respect to its input: {@code gradOut [N, O, OL]} and
     * {@code w [O, C / groups, K]} give a tensor of {@code inputShape [N, C, L]}.
     */
    public static Tensor conv1dInputGrad(Tensor gradOut, Tensor w, Shape inputShape, int stride, int padding,
                                         int dilation, int groups) {
        Check c = Check.oneD("conv1dInputGrad", stride, padding, dilation, groups, inputShape, w.shape(), gradOut.shape());
        c.tensors("gradOut", gradOut, "weight", w);
        c.outputShape();
        Tensor gradIn = Tensor.allocate(w.backend(), w.dtype(), inputShape);
        w.backend().conv2dInputGrad(c.spec, gradOut.unsqueeze(2), w.unsqueeze(2), gradIn.unsqueeze(2));
        return gradIn;
    }

    /**
     * The gradient of {@link #conv1d} with respect to its weight: {@code x [N, C, L]} and
     * {@code gradOut [N, O, OL]} give a tensor of {@code weightShape [O, C / groups, K]}.
     */
    public static Tensor conv1dWeightGrad(Tensor x, Tensor gradOut, Shape weightShape, int stride, int padding,
                                          int dilation, int groups) {
        Check c = Check.oneD("conv1dWeightGrad", stride, padding, dilation, groups, x.shape(), weightShape, gradOut.shape());
        c.tensors("input", x, "gradOut", gradOut);
        c.outputShape();
        Tensor gradW = Tensor.allocate(x.backend(), x.dtype(), weightShape);
        x.backend().conv2dWeightGrad(c.spec, x.unsqueeze(2), gradOut.unsqueeze(2), gradW.unsqueeze(2));
        return gradW;
    }

    /**
     * 2-D convolution of x {@code [N, C, H, W]} with w {@code [O, C / groups, KH, KW]}, giving
     * {@code [N, O, OH, OW]} with the sizes of {@link ConvSpec#outHeight} and {@link ConvSpec#outWidth}.
     */
    public static Tensor conv2d(Tensor x, Tensor w, ConvSpec spec) {
        Check c = Check.twoD("conv2d", spec, x.shape(), w.shape(), null);
        c.tensors("input", x, "weight", w);
        Tensor out = Tensor.allocate(x.backend(), x.dtype(), c.outputShape());
        x.backend().conv2d(spec, x, w, out);
        return out;
    }

    /** {@link #conv2d} plus {@code bias} [O] added to every position of each output channel, in one pass. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, ConvSpec spec) {
        Check c = Check.twoD("conv2d", spec, x.shape(), w.shape(), null);
        c.tensors("input", x, "weight", w);
        Checks.sameDevice("conv2d", x, bias);
        Checks.sameDtype("conv2d", x, bias);
        if (bias.dim() != 1 || bias.size(0) != w.size(0)) {
            throw new IllegalArgumentException("conv2d: bias of shape " + bias.shape() + " does not match the "
                    + w.size(0) + " output channels of weight " + w.shape());
        }
        Tensor out = Tensor.allocate(x.backend(), x.dtype(), c.outputShape());
        x.backend().conv2dBias(spec, x, w, bias.contiguous(), out);
        return out;
    }

    /**
     * The gradient of {@link #conv2d} with respect to its input: {@code gradOut [N, O, OH, OW]} and
     * {@code w [O, C / groups, KH, KW]} give a tensor of {@code inputShape [N, C, H, W]}.
     */
    public static Tensor conv2dInputGrad(Tensor gradOut, Tensor w, Shape inputShape, ConvSpec spec) {
        Check c = Check.twoD("conv2dInputGrad", spec, inputShape, w.shape(), gradOut.shape());
        c.tensors("gradOut", gradOut, "weight", w);
        c.outputShape();
        Tensor gradIn = Tensor.allocate(w.backend(), w.dtype(), inputShape);
        w.backend().conv2dInputGrad(spec, gradOut, w, gradIn);
        return gradIn;
    }

    /**
     * The gradient of {@link #conv2d} with respect to its weight: {@code x [N, C, H, W]} and
     * {@code gradOut [N, O, OH, OW]} give a tensor of {@code weightShape [O, C / groups, KH, KW]}.
     */
    public static Tensor conv2dWeightGrad(Tensor x, Tensor gradOut, Shape weightShape, ConvSpec spec) {
        Check c = Check.twoD("conv2dWeightGrad", spec, x.shape(), weightShape, gradOut.shape());
        c.tensors("input", x, "gradOut", gradOut);
        c.outputShape();
        Tensor gradW = Tensor.allocate(x.backend(), x.dtype(), weightShape);
        x.backend().conv2dWeightGrad(spec, x, gradOut, gradW);
        return gradW;
    }

    /**
     * Validation of one call. Every message starts with the operation's name and names the input, weight
     * and (for the gradients) gradOut shapes, inline where they are at fault and in a trailer otherwise.
     */
    private static final class Check {
        final String op;
        final int spatial;
        final ConvSpec spec;
        final Shape input;
        final Shape weight;
        final Shape gradOut;

        private Check(String op, int spatial, ConvSpec spec, Shape input, Shape weight, Shape gradOut) {
            this.op = op;
            this.spatial = spatial;
            this.spec = spec;
            this.input = input;
            this.weight = weight;
            this.gradOut = gradOut;
        }

        static Check twoD(String op, ConvSpec spec, Shape input, Shape weight, Shape gradOut) {
            return new Check(op, 2, spec, input, weight, gradOut);
        }

        /** The 1-D geometry as a 2-D spec with height 1 (stride 1, no padding, no dilation along it). */
        static Check oneD(String op, int stride, int padding, int dilation, int groups, Shape input, Shape weight,
                          Shape gradOut) {
            Check c = new Check(op, 1, null, input, weight, gradOut);
            if (stride < 1 || padding < 0 || dilation < 1 || groups < 1) {
                throw c.fail("invalid geometry: stride " + stride + ", padding " + padding + ", dilation " + dilation
                        + ", groups " + groups + " (stride, dilation and groups must be >= 1, padding >= 0)");
            }
            return new Check(op, 1, new ConvSpec(1, stride, 0, padding, 1, dilation, groups), input, weight, gradOut);
        }

        /** Float dtype, one dtype, one device. */
        void tensors(String nameA, Tensor a, String nameB, Tensor b) {
            for (Tensor t : new Tensor[] {a, b}) {
                if (!t.dtype().isFloatingPoint()) {
                    throw fail("expects FLOAT32 or FLOAT64 tensors, got " + (t == a ? nameA : nameB) + " "
                            + t.shape() + " of dtype " + t.dtype());
                }
            }
            if (a.dtype() != b.dtype()) {
                throw fail(nameA + " " + a.shape() + " is " + a.dtype() + " but " + nameB + " " + b.shape() + " is "
                        + b.dtype() + "; cast one explicitly");
            }
            if (!a.device().equals(b.device())) {
                throw fail(nameA + " " + a.shape() + " is on " + a.device() + " but " + nameB + " " + b.shape()
                        + " is on " + b.device());
            }
        }

        /** Checks the shapes and returns the output shape; for the gradients, also checks gradOut against it. */
        Shape outputShape() {
            checkRanks();
            checkSizes();
            int groups = spec.groups();
            int c = input.get(1);
            int o = weight.get(0);
            if (c % groups != 0) {
                throw fail("input " + input + " has " + c + " channels, which groups " + groups + " does not divide"
                        + " (weight " + weight + ")");
            }
            if (o % groups != 0) {
                throw fail("weight " + weight + " has " + o + " output channels, which groups " + groups
                        + " does not divide (input " + input + ")");
            }
            if (c / groups != weight.get(1)) {
                throw fail("input " + input + " has " + c + " channels but weight " + weight + " expects "
                        + weight.get(1) * groups + " (groups " + groups + ")");
            }
            Shape out = expectedOutput();
            if (gradOut != null && !gradOut.equals(out)) {
                throw fail("gradOut " + gradOut + " does not match the output shape " + out + " of input " + input
                        + " and weight " + weight + " with " + geometry());
            }
            return out;
        }

        private void checkRanks() {
            int rank = spatial + 2;
            boolean bad = input.rank() != rank || weight.rank() != rank || (gradOut != null && gradOut.rank() != rank);
            if (bad) {
                String in = spatial == 1 ? "[N, C, L]" : "[N, C, H, W]";
                String w = spatial == 1 ? "[O, C/groups, K]" : "[O, C/groups, KH, KW]";
                String g = spatial == 1 ? "[N, O, OL]" : "[N, O, OH, OW]";
                throw fail("expects input " + in + ", weight " + w + (gradOut == null ? "" : " and gradOut " + g)
                        + ", got input " + input + ", weight " + weight
                        + (gradOut == null ? "" : " and gradOut " + gradOut));
            }
        }

        private void checkSizes() {
            for (int d = 1; d < input.rank(); d++) {
                if (input.get(d) == 0) {
                    throw fail("input " + input + " has a zero-size dimension other than the batch (weight " + weight + ")");
                }
            }
            for (int d = 0; d < weight.rank(); d++) {
                if (weight.get(d) == 0) {
                    throw fail("weight " + weight + " has a zero-size dimension (input " + input + ")");
                }
            }
        }

        private Shape expectedOutput() {
            int ow = spec.outWidth(input.get(-1), weight.get(-1));
            int oh = spatial == 2 ? spec.outHeight(input.get(2), weight.get(2)) : 1;
            if (ow < 1 || oh < 1) {
                throw fail("input " + input + " is too small for weight " + weight + " with " + geometry()
                        + ": the output would have size " + (spatial == 2 ? oh + " x " + ow : ow));
            }
            return spatial == 2 ? Shape.of(input.get(0), weight.get(0), oh, ow) : Shape.of(input.get(0), weight.get(0), ow);
        }

        private String geometry() {
            if (spatial == 1) {
                return "stride " + spec.strideW() + ", padding " + spec.padW() + ", dilation " + spec.dilationW();
            }
            return "stride (" + spec.strideH() + ", " + spec.strideW() + "), padding (" + spec.padH() + ", "
                    + spec.padW() + "), dilation (" + spec.dilationH() + ", " + spec.dilationW() + ")";
        }

        /** The error for {@code reason}, followed by any shape the reason did not name. */
        IllegalArgumentException fail(String reason) {
            return ShapeErrors.of(op, reason, new String[] {"input", "weight", "gradOut"}, input, weight, gradOut);
        }
    }
}
