package dev.descent.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Convolutions and their gradients against a direct nested-loop definition (no unfolding), in both float
 * dtypes, over a table of geometries and input layouts, plus the adjoint identities and the error messages.
 */
class ConvolutionTest {

    /** How a test input is laid out in memory. */
    enum Layout { CONTIGUOUS, PERMUTED, STRIDED }

    /** One geometry: input [n, c, h, w], weight [o, c / groups, kh, kw]; h = kh = 1 for the 1-D cases. */
    record Case(String name, int n, int c, int h, int w, int o, int kh, int kw, ConvSpec spec) {
        Shape input() {
            return Shape.of(n, c, h, w);
        }

        Shape weight() {
            return Shape.of(o, c / spec.groups(), kh, kw);
        }

        Shape output() {
            return Shape.of(n, o, spec.outHeight(h, kh), spec.outWidth(w, kw));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases2d() {
        return List.of(
                new Case("plain", 2, 3, 5, 6, 4, 3, 3, ConvSpec.of(1, 0, 1, 1)),
                new Case("all size 1", 1, 1, 1, 1, 1, 1, 1, ConvSpec.of(1, 0, 1, 1)),
                new Case("1x1 kernel on 1-channel", 3, 1, 4, 3, 2, 1, 1, ConvSpec.of(1, 0, 1, 1)),
                new Case("stride 2 pad 1", 3, 2, 7, 6, 3, 3, 2, ConvSpec.of(2, 1, 1, 1)),
                new Case("dilation", 2, 2, 6, 7, 2, 3, 3, new ConvSpec(1, 1, 2, 1, 2, 1, 1)),
                new Case("groups 2", 2, 4, 5, 5, 6, 3, 3, new ConvSpec(1, 2, 1, 0, 1, 1, 2)),
                new Case("depthwise", 2, 3, 4, 4, 3, 2, 2, ConvSpec.of(1, 0, 1, 3)),
                new Case("everything", 2, 4, 8, 9, 4, 2, 3, new ConvSpec(2, 3, 1, 2, 2, 1, 2)),
                new Case("kernel over padded input", 2, 2, 2, 2, 3, 3, 3, ConvSpec.of(1, 1, 1, 1)),
                new Case("stride skips last rows", 1, 2, 8, 8, 2, 3, 3, ConvSpec.of(3, 0, 1, 1)),
                // 144 x 576 column-matrix elements per sample: several chunks of samples, the last one smaller
                new Case("uneven chunks", 13, 16, 24, 24, 2, 3, 3, ConvSpec.of(1, 1, 1, 1)),
                // 72 x 576 per sample and group: two chunks (3 + 2 samples), each group's weight gradient
                // summed over both in BLAS scratch
                new Case("groups over chunks", 5, 16, 24, 24, 4, 3, 3, ConvSpec.of(1, 1, 1, 2)),
                // one sample's columns (36 x 7396) outgrow a chunk: the unfolding is split across threads
                new Case("sample larger than a chunk", 1, 4, 88, 88, 2, 3, 3, ConvSpec.of(1, 0, 1, 1)));
    }

    static List<Case> cases1d() {
        return List.of(
                new Case("1d plain", 2, 3, 1, 10, 4, 1, 3, oneD(1, 0, 1, 1)),
                new Case("1d all size 1", 1, 1, 1, 1, 1, 1, 1, oneD(1, 0, 1, 1)),
                new Case("1d stride pad dilation groups", 2, 3, 1, 13, 6, 1, 2, oneD(2, 2, 3, 3)),
                new Case("1d long", 3, 2, 1, 100, 5, 1, 5, oneD(3, 2, 2, 1)));
    }

    private static ConvSpec oneD(int stride, int padding, int dilation, int groups) {
        return new ConvSpec(1, stride, 0, padding, 1, dilation, groups);
    }

    static Stream<Arguments> table2d() {
        return table(cases2d());
    }

    static Stream<Arguments> table1d() {
        return table(cases1d());
    }

    private static Stream<Arguments> table(List<Case> cases) {
        List<Arguments> out = new ArrayList<>();
        for (Case c : cases) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (Layout layout : Layout.values()) {
                    out.add(Arguments.of(c, dtype, layout));
                }
            }
        }
        return out.stream();
    }

    // ---------------------------------------------------------------- values against the definition

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("table2d")
    void conv2dMatchesTheDefinition(Case c, DType dtype, Layout layout) {
        Rng rng = new Rng(c.name().hashCode() + layout.ordinal());
        Tensor x = make(rng, dtype, layout, c.input());
        Tensor w = make(rng, dtype, layout, c.weight());
        Tensor g = make(rng, dtype, layout, c.output());

        Tensor y = Convolution.conv2d(x, w, c.spec());
        Tensor dx = Convolution.conv2dInputGrad(g, w, c.input(), c.spec());
        Tensor dw = Convolution.conv2dWeightGrad(x, g, c.weight(), c.spec());

        Reference ref = new Reference(c, x.toDoubleArray(), w.toDoubleArray(), g.toDoubleArray());
        assertResult(c.output(), ref.forward(), y, dtype);
        assertResult(c.input(), ref.inputGrad(), dx, dtype);
        assertResult(c.weight(), ref.weightGrad(), dw, dtype);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("table1d")
    void conv1dMatchesTheDefinition(Case c, DType dtype, Layout layout) {
        Rng rng = new Rng(c.name().hashCode() + layout.ordinal());
        Shape in = Shape.of(c.n(), c.c(), c.w());
        Shape wt = Shape.of(c.o(), c.c() / c.spec().groups(), c.kw());
        Shape out = Shape.of(c.n(), c.o(), c.output().get(3));
        Tensor x = make(rng, dtype, layout, in);
        Tensor w = make(rng, dtype, layout, wt);
        Tensor g = make(rng, dtype, layout, out);
        ConvSpec s = c.spec();

        Tensor y = Convolution.conv1d(x, w, s.strideW(), s.padW(), s.dilationW(), s.groups());
        Tensor dx = Convolution.conv1dInputGrad(g, w, in, s.strideW(), s.padW(), s.dilationW(), s.groups());
        Tensor dw = Convolution.conv1dWeightGrad(x, g, wt, s.strideW(), s.padW(), s.dilationW(), s.groups());

        // the 1-D definition is the 2-D one at height 1; same row-major order
        Reference ref = new Reference(c, x.toDoubleArray(), w.toDoubleArray(), g.toDoubleArray());
        assertResult(out, ref.forward(), y, dtype);
        assertResult(in, ref.inputGrad(), dx, dtype);
        assertResult(wt, ref.weightGrad(), dw, dtype);
    }

    @Test
    void emptyBatchGivesEmptyOutputAndZeroWeightGradient() {
        Rng rng = new Rng(3);
        Tensor x = Tensor.randn(rng, DType.FLOAT64, 0, 2, 5, 5);
        Tensor w = Tensor.randn(rng, DType.FLOAT64, 3, 2, 3, 3);
        ConvSpec spec = ConvSpec.of(1, 0, 1, 1);
        Tensor y = Convolution.conv2d(x, w, spec);
        assertEquals(Shape.of(0, 3, 3, 3), y.shape());
        Tensor dw = Convolution.conv2dWeightGrad(x, y, w.shape(), spec);
        assertEquals(0.0, maxAbs(dw.toDoubleArray()));
        assertEquals(Shape.of(0, 2, 5, 5), Convolution.conv2dInputGrad(y, w, x.shape(), spec).shape());
    }

    @Test
    void knownValues() {
        // 1-channel 3x3 input, 2x2 kernel of ones: each output is the sum of a 2x2 block
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor w = Tensor.ones(DType.FLOAT64, 1, 1, 2, 2);
        Tensor y = Convolution.conv2d(x, w, ConvSpec.of(1, 0, 1, 1));
        assertArrayEquals(new double[] {12, 16, 24, 28}, y.toDoubleArray());
    }

    // ---------------------------------------------------------------- adjoint identities

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases2d")
    void gradientsAreAdjointsOfTheForward2d(Case c) {
        assertAdjoint(c, c.input(), c.weight(), c.output(), false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases1d")
    void gradientsAreAdjointsOfTheForward1d(Case c) {
        assertAdjoint(c, Shape.of(c.n(), c.c(), c.w()), Shape.of(c.o(), c.c() / c.spec().groups(), c.kw()),
                Shape.of(c.n(), c.o(), c.output().get(3)), true);
    }

    /** {@code <conv(x, w), g> = <x, inputGrad(g, w)> = <w, weightGrad(x, g)>}, as conv is bilinear. */
    private static void assertAdjoint(Case c, Shape in, Shape wt, Shape out, boolean oneD) {
        Rng rng = new Rng(99 + c.name().hashCode());
        Tensor x = Tensor.randn(rng, DType.FLOAT64, in.toArray());
        Tensor w = Tensor.randn(rng, DType.FLOAT64, wt.toArray());
        Tensor g = Tensor.randn(rng, DType.FLOAT64, out.toArray());
        ConvSpec s = c.spec();
        Tensor y = oneD ? Convolution.conv1d(x, w, s.strideW(), s.padW(), s.dilationW(), s.groups())
                : Convolution.conv2d(x, w, s);
        Tensor dx = oneD ? Convolution.conv1dInputGrad(g, w, in, s.strideW(), s.padW(), s.dilationW(), s.groups())
                : Convolution.conv2dInputGrad(g, w, in, s);
        Tensor dw = oneD ? Convolution.conv1dWeightGrad(x, g, wt, s.strideW(), s.padW(), s.dilationW(), s.groups())
                : Convolution.conv2dWeightGrad(x, g, wt, s);
        double forward = dot(y.toDoubleArray(), g.toDoubleArray());
        double viaInput = dot(x.toDoubleArray(), dx.toDoubleArray());
        double viaWeight = dot(w.toDoubleArray(), dw.toDoubleArray());
        double scale = Math.max(1.0, Math.abs(forward));
        assertEquals(forward, viaInput, 1e-10 * scale, "<conv(x,w), g> vs <x, inputGrad(g, w)>");
        assertEquals(forward, viaWeight, 1e-10 * scale, "<conv(x,w), g> vs <w, weightGrad(x, g)>");
    }

    // ---------------------------------------------------------------- errors

    @Test
    void channelMismatchNamesBothShapes() {
        Tensor x = Tensor.zeros(8, 3, 32, 32);
        Tensor w = Tensor.zeros(16, 4, 3, 3);
        assertMessage(() -> Convolution.conv2d(x, w, ConvSpec.of(1, 0, 1, 1)),
                "conv2d: input [8, 3, 32, 32] has 3 channels but weight [16, 4, 3, 3] expects 4 (groups 1)");
    }

    @Test
    void groupsMustDivideBothChannelCounts() {
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(4, 1, 3, 3), ConvSpec.of(1, 0, 1, 2)),
                "conv2d:", "[1, 3, 5, 5]", "[4, 1, 3, 3]", "groups 2");
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(1, 4, 5, 5), Tensor.zeros(3, 2, 3, 3), ConvSpec.of(1, 0, 1, 2)),
                "conv2d:", "[1, 4, 5, 5]", "[3, 2, 3, 3]", "groups 2");
        assertMessage(() -> Convolution.conv1d(Tensor.zeros(1, 4, 5), Tensor.zeros(3, 2, 3), 1, 0, 1, 2),
                "conv1d:", "[1, 4, 5]", "[3, 2, 3]", "groups 2");
    }

    @Test
    void ranksAreChecked() {
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(3, 5, 5), Tensor.zeros(4, 3, 3, 3), ConvSpec.of(1, 0, 1, 1)),
                "conv2d:", "[3, 5, 5]", "[4, 3, 3, 3]");
        assertMessage(() -> Convolution.conv1d(Tensor.zeros(1, 3, 5), Tensor.zeros(4, 3, 3, 3), 1, 0, 1, 1),
                "conv1d:", "[1, 3, 5]", "[4, 3, 3, 3]");
        assertMessage(() -> Convolution.conv2dWeightGrad(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(1, 4, 3, 3),
                Shape.of(4, 3, 3), ConvSpec.of(1, 0, 1, 1)), "conv2dWeightGrad:", "[1, 3, 5, 5]", "[1, 4, 3, 3]", "[4, 3, 3]");
    }

    @Test
    void dtypesAreChecked() {
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(DType.INT64, 1, 3, 5, 5), Tensor.zeros(DType.INT64, 4, 3, 3, 3),
                ConvSpec.of(1, 0, 1, 1)), "conv2d:", "INT64", "[1, 3, 5, 5]", "[4, 3, 3, 3]");
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(DType.FLOAT64, 1, 3, 5, 5), Tensor.zeros(4, 3, 3, 3),
                ConvSpec.of(1, 0, 1, 1)), "conv2d:", "FLOAT64", "FLOAT32", "[1, 3, 5, 5]", "[4, 3, 3, 3]");
        assertMessage(() -> Convolution.conv1dInputGrad(Tensor.zeros(DType.FLOAT64, 1, 4, 3), Tensor.zeros(4, 3, 3),
                Shape.of(1, 3, 5), 1, 0, 1, 1), "conv1dInputGrad:", "[1, 4, 3]", "[4, 3, 3]", "[1, 3, 5]");
    }

    @Test
    void devicesAreChecked() {
        Tensor x = Tensor.zeros(1, 3, 5, 5);
        Storage elsewhere = new Storage(DType.FLOAT32, 4 * 3 * 3 * 3) {
            @Override
            public Device device() {
                return Device.cuda(0);
            }
        };
        Shape ws = Shape.of(4, 3, 3, 3);
        Tensor w = new Tensor(elsewhere, ws, ws.contiguousStrides(), 0, x.backend());
        assertMessage(() -> Convolution.conv2d(x, w, ConvSpec.of(1, 0, 1, 1)),
                "conv2d:", "[1, 3, 5, 5]", "[4, 3, 3, 3]", Device.CPU.toString(), Device.cuda(0).toString());
    }

    @Test
    void emptyOutputsAndEmptyDimensionsAreRejected() {
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(1, 1, 2, 2), Tensor.zeros(1, 1, 3, 3), ConvSpec.of(1, 0, 1, 1)),
                "conv2d:", "[1, 1, 2, 2]", "[1, 1, 3, 3]", "too small");
        assertMessage(() -> Convolution.conv1d(Tensor.zeros(1, 1, 4), Tensor.zeros(1, 1, 3), 1, 0, 2, 1),
                "conv1d:", "[1, 1, 4]", "[1, 1, 3]", "dilation 2");
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(1, 0, 5, 5), Tensor.zeros(1, 0, 3, 3), ConvSpec.of(1, 0, 1, 1)),
                "conv2d:", "[1, 0, 5, 5]", "[1, 0, 3, 3]");
        assertMessage(() -> Convolution.conv2d(Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 0, 3), ConvSpec.of(1, 0, 1, 1)),
                "conv2d:", "[1, 1, 5, 5]", "[1, 1, 0, 3]");
    }

    @Test
    void gradientShapesMustMatchTheGeometry() {
        ConvSpec s = ConvSpec.of(1, 0, 1, 1);
        assertMessage(() -> Convolution.conv2dInputGrad(Tensor.zeros(2, 4, 3, 4), Tensor.zeros(4, 3, 3, 3),
                Shape.of(2, 3, 5, 5), s), "conv2dInputGrad:", "[2, 4, 3, 4]", "[4, 3, 3, 3]", "[2, 3, 5, 5]", "[2, 4, 3, 3]");
        assertMessage(() -> Convolution.conv2dWeightGrad(Tensor.zeros(2, 3, 5, 5), Tensor.zeros(2, 5, 3, 3),
                Shape.of(4, 3, 3, 3), s), "conv2dWeightGrad:", "[2, 3, 5, 5]", "[2, 5, 3, 3]", "[4, 3, 3, 3]");
        assertMessage(() -> Convolution.conv1dWeightGrad(Tensor.zeros(2, 3, 5), Tensor.zeros(2, 4, 2),
                Shape.of(4, 3, 3), 1, 0, 1, 1), "conv1dWeightGrad:", "[2, 3, 5]", "[2, 4, 2]", "[4, 3, 3]", "[2, 4, 3]");
    }

    @Test
    void invalid1dGeometryNamesTheOperation() {
        assertMessage(() -> Convolution.conv1d(Tensor.zeros(1, 1, 5), Tensor.zeros(1, 1, 3), 0, 0, 1, 1),
                "conv1d:", "stride 0", "[1, 1, 5]", "[1, 1, 3]");
        assertMessage(() -> Convolution.conv1dInputGrad(Tensor.zeros(1, 1, 3), Tensor.zeros(1, 1, 3), Shape.of(1, 1, 5),
                1, -1, 1, 1), "conv1dInputGrad:", "padding -1", "[1, 1, 5]", "[1, 1, 3]");
    }

    // ---------------------------------------------------------------- helpers

    /** A standard-normal tensor of {@code shape} laid out as asked (its values do not depend on the layout's strides). */
    static Tensor make(Rng rng, DType dtype, Layout layout, Shape shape) {
        int[] dims = shape.toArray();
        int last = dims.length - 1;
        return switch (layout) {
            case CONTIGUOUS -> Tensor.randn(rng, dtype, dims);
            case PERMUTED -> {
                int[] swapped = dims.clone();
                swapped[0] = dims[1];
                swapped[1] = dims[0];
                yield Tensor.randn(rng, dtype, swapped).transpose(0, 1);
            }
            case STRIDED -> {
                int[] wide = dims.clone();
                wide[last] = 2 * dims[last] + 1;
                yield Tensor.randn(rng, dtype, wide).slice(last, 1, 1 + 2 * dims[last], 2);
            }
        };
    }

    static void assertResult(Shape shape, double[] expected, Tensor actual, DType dtype) {
        assertEquals(shape, actual.shape());
        assertEquals(dtype, actual.dtype());
        assertTrue(actual.isContiguous());
        double tol = (dtype == DType.FLOAT64 ? 1e-12 : 1e-4) * Math.max(1.0, maxAbs(expected));
        double[] got = actual.toDoubleArray();
        for (int i = 0; i < expected.length; i++) {
            int at = i;
            assertEquals(expected[i], got[i], tol, () -> "element " + at + " of " + shape);
        }
    }

    static void assertArrayEquals(double[] expected, double[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, 1e-12);
    }

    static void assertMessage(Runnable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static double dot(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * Convolution written from its definition:
     * {@code y[n, o, i, j] = sum over c in o's group, a, b of x[n, c, i sH - pH + a dH, j sW - pW + b dW] w[o, c, a, b]},
     * with x zero outside the image; the gradients are the same sum with the roles of the arrays exchanged.
     */
    static final class Reference {
        private final Case c;
        private final double[] x;
        private final double[] w;
        private final double[] g;
        private final int oh;
        private final int ow;

        Reference(Case c, double[] x, double[] w, double[] g) {
            this.c = c;
            this.x = x;
            this.w = w;
            this.g = g;
            this.oh = c.output().get(2);
            this.ow = c.output().get(3);
        }

        double[] forward() {
            double[] y = new double[c.output().numel()];
            visit((yi, xi, wi) -> y[yi] += x[xi] * w[wi]);
            return y;
        }

        double[] inputGrad() {
            double[] dx = new double[x.length];
            visit((yi, xi, wi) -> dx[xi] += g[yi] * w[wi]);
            return dx;
        }

        double[] weightGrad() {
            double[] dw = new double[w.length];
            visit((yi, xi, wi) -> dw[wi] += g[yi] * x[xi]);
            return dw;
        }

        interface Term {
            void add(int yi, int xi, int wi);
        }

        /** Calls {@code term} for every product in the definition whose input position lies inside the image. */
        private void visit(Term term) {
            ConvSpec s = c.spec();
            int cg = c.c() / s.groups();
            int og = c.o() / s.groups();
            for (int n = 0; n < c.n(); n++) {
                for (int o = 0; o < c.o(); o++) {
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            int yi = ((n * c.o() + o) * oh + i) * ow + j;
                            for (int ci = 0; ci < cg; ci++) {
                                int channel = (o / og) * cg + ci;
                                for (int a = 0; a < c.kh(); a++) {
                                    int r = i * s.strideH() - s.padH() + a * s.dilationH();
                                    for (int b = 0; b < c.kw(); b++) {
                                        int q = j * s.strideW() - s.padW() + b * s.dilationW();
                                        if (r < 0 || r >= c.h() || q < 0 || q >= c.w()) {
                                            continue;
                                        }
                                        int xi = ((n * c.c() + channel) * c.h() + r) * c.w() + q;
                                        int wi = ((o * cg + ci) * c.kh() + a) * c.kw() + b;
                                        term.add(yi, xi, wi);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
