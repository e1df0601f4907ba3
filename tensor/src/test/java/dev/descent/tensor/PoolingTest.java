package dev.descent.tensor;

import dev.descent.tensor.ConvolutionTest.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.descent.tensor.ConvolutionTest.assertMessage;
import static dev.descent.tensor.ConvolutionTest.assertResult;
import static dev.descent.tensor.ConvolutionTest.dot;
import static dev.descent.tensor.ConvolutionTest.make;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Max and average pooling and their gradients against a direct definition, in both float dtypes, over a
 * table of windows and input layouts; ties, NaN and infinities; the adjoint identities; the error messages.
 */
class PoolingTest {

    /** One geometry: input [n, c, h, w]; h = 1 and a window of height 1 for the 1-D cases. */
    record Case(String name, int n, int c, int h, int w, PoolSpec spec, boolean oneD) {
        Shape input() {
            return oneD ? Shape.of(n, c, w) : Shape.of(n, c, h, w);
        }

        int oh() {
            return spec.outHeight(h);
        }

        int ow() {
            return spec.outWidth(w);
        }

        Shape output() {
            return oneD ? Shape.of(n, c, ow()) : Shape.of(n, c, oh(), ow());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("2x2 stride 2", 2, 3, 4, 6, PoolSpec.of(2, 2, 0), false),
                new Case("odd size drops the edge", 1, 2, 5, 5, PoolSpec.of(2, 2, 0), false),
                new Case("3x3 stride 1 pad 1 overlapping", 2, 2, 5, 5, PoolSpec.of(3, 1, 1), false),
                new Case("3x3 stride 2 pad 1 exclude pad", 2, 2, 7, 6, new PoolSpec(3, 3, 2, 2, 1, 1, false), false),
                new Case("asymmetric", 2, 1, 5, 7, new PoolSpec(2, 3, 1, 2, 1, 1, true), false),
                new Case("all size 1", 1, 1, 1, 1, PoolSpec.of(1, 1, 0), false),
                new Case("window is the plane", 3, 1, 3, 4, new PoolSpec(3, 4, 1, 1, 0, 0, true), false),
                new Case("enough planes to split across threads", 4, 16, 32, 32, PoolSpec.of(2, 2, 0), false),
                new Case("1d k3 s2 p1", 2, 3, 1, 9, new PoolSpec(1, 3, 1, 2, 0, 1, true), true),
                new Case("1d exclude pad", 2, 2, 1, 7, new PoolSpec(1, 2, 1, 2, 0, 1, false), true),
                new Case("1d size 1", 1, 1, 1, 1, new PoolSpec(1, 1, 1, 1, 0, 0, true), true));
    }

    static Stream<Arguments> table() {
        List<Arguments> out = new ArrayList<>();
        for (Case c : cases()) {
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
    @MethodSource("table")
    void maxPoolMatchesTheDefinition(Case c, DType dtype, Layout layout) {
        Rng rng = new Rng(c.name().hashCode() + layout.ordinal());
        Tensor x = make(rng, dtype, layout, c.input());
        Tensor g = make(rng, dtype, layout, c.output());
        Reference ref = new Reference(c, x.toDoubleArray());

        Tensor.ValuesAndIndices vi = maxPool(c, x);
        assertResult(c.output(), ref.maxValues(), vi.values(), dtype);
        assertEquals(DType.INT64, vi.indices().dtype());
        assertArrayEquals(ref.argmax(), vi.indices().toLongArray());

        // indices as a non-contiguous view with the same values
        Tensor idx = vi.indices().transpose(0, 1).contiguous().transpose(0, 1);
        Tensor dx = maxPoolBackward(c, g, idx);
        assertResult(c.input(), ref.maxBackward(g.toDoubleArray()), dx, dtype);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("table")
    void avgPoolMatchesTheDefinition(Case c, DType dtype, Layout layout) {
        Rng rng = new Rng(c.name().hashCode() + 7 * layout.ordinal());
        Tensor x = make(rng, dtype, layout, c.input());
        Tensor g = make(rng, dtype, layout, c.output());
        Reference ref = new Reference(c, x.toDoubleArray());

        assertResult(c.output(), ref.avgValues(), avgPool(c, x), dtype);
        assertResult(c.input(), ref.avgBackward(g.toDoubleArray()), avgPoolBackward(c, g), dtype);
    }

    /** Pooling is linear in x (max pooling for fixed indices), so its backward is its adjoint. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void backwardsAreAdjointsOfTheForwards(Case c) {
        Rng rng = new Rng(5 + c.name().hashCode());
        Tensor x = Tensor.randn(rng, DType.FLOAT64, c.input().toArray());
        Tensor g = Tensor.randn(rng, DType.FLOAT64, c.output().toArray());
        Tensor.ValuesAndIndices vi = maxPool(c, x);
        double maxForward = dot(vi.values().toDoubleArray(), g.toDoubleArray());
        double maxAdjoint = dot(x.toDoubleArray(), maxPoolBackward(c, g, vi.indices()).toDoubleArray());
        assertEquals(maxForward, maxAdjoint, 1e-10 * Math.max(1, Math.abs(maxForward)));
        double avgForward = dot(avgPool(c, x).toDoubleArray(), g.toDoubleArray());
        double avgAdjoint = dot(x.toDoubleArray(), avgPoolBackward(c, g).toDoubleArray());
        assertEquals(avgForward, avgAdjoint, 1e-10 * Math.max(1, Math.abs(avgForward)));
    }

    @Test
    void tiesPickTheFirstMaximum() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 1, 1, 4, 4);
        Tensor.ValuesAndIndices vi = Pooling.maxPool2d(x, PoolSpec.of(2, 2, 0));
        assertArrayEquals(new long[] {0, 2, 8, 10}, vi.indices().toLongArray());
        Tensor y = Tensor.full(DType.FLOAT32, Double.NEGATIVE_INFINITY, 1, 1, 5);
        Tensor.ValuesAndIndices vj = Pooling.maxPool1d(y, 3, 2, 1);
        assertArrayEquals(new long[] {0, 1, 3}, vj.indices().toLongArray());
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
                vj.values().toDoubleArray());
    }

    @Test
    void nanIsTheMaximumOfItsWindow() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double nan = Double.NaN;
            // windows of 2: [1, NaN], [3, 2], [NaN, NaN], [inf, 0]
            Tensor x = Tensor.of(new double[] {1, nan, 3, 2, nan, nan, Double.POSITIVE_INFINITY, 0}, 1, 1, 8).cast(dtype);
            Tensor.ValuesAndIndices vi = Pooling.maxPool1d(x, 2, 2, 0);
            double[] v = vi.values().toDoubleArray();
            assertTrue(Double.isNaN(v[0]) && Double.isNaN(v[2]));
            assertEquals(3.0, v[1]);
            assertEquals(Double.POSITIVE_INFINITY, v[3]);
            // as PyTorch's CPU kernel: every NaN replaces the running maximum, so the last NaN wins
            assertArrayEquals(new long[] {1, 2, 5, 6}, vi.indices().toLongArray());
        }
    }

    /**
     * FLOAT32 2 x 2 windows at stride 2 take a branch-free kernel; FLOAT64 takes the general loop. On values
     * drawn from a few levels (many ties), NaN, signed zeros and infinities, both give the same maxima and
     * positions (the first maximum; the last NaN), also for odd sizes that drop an edge.
     */
    @Test
    void twoByTwoKernelAgreesWithTheGeneralLoopOnTiesNanZerosAndInfinities() {
        double[] levels = {0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.5};
        Rng rng = new Rng(17);
        for (int[] size : new int[][] {{6, 8}, {7, 5}}) {
            int n = 3 * 4 * size[0] * size[1];
            long[] pick = Tensor.randint(rng, 0, levels.length, n).toLongArray();
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = levels[(int) pick[i]];
            }
            Tensor x64 = Tensor.of(v, 3, 4, size[0], size[1]);
            Tensor.ValuesAndIndices general = Pooling.maxPool2d(x64, PoolSpec.of(2, 2, 0));
            Tensor.ValuesAndIndices fast = Pooling.maxPool2d(x64.cast(DType.FLOAT32), PoolSpec.of(2, 2, 0));
            assertArrayEquals(general.indices().toLongArray(), fast.indices().toLongArray());
            double[] want = general.values().toDoubleArray();
            double[] got = fast.values().toDoubleArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(Double.doubleToLongBits(want[i]), Double.doubleToLongBits(got[i]), "output " + i);
            }
        }
    }

    @Test
    void knownValues() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 1, 1, 4, 4);
        Tensor.ValuesAndIndices vi = Pooling.maxPool2d(x, PoolSpec.of(2, 2, 0));
        assertArrayEquals(new double[] {6, 8, 14, 16}, vi.values().toDoubleArray());
        assertArrayEquals(new long[] {5, 7, 13, 15}, vi.indices().toLongArray());
        assertArrayEquals(new double[] {3.5, 5.5, 11.5, 13.5}, Pooling.avgPool2d(x, PoolSpec.of(2, 2, 0)).toDoubleArray());
        // corner window of a padded 3x3 average: 4 of 9 inside
        Tensor ones = Tensor.ones(DType.FLOAT64, 1, 1, 3, 3);
        assertEquals(4.0 / 9, Pooling.avgPool2d(ones, PoolSpec.of(3, 2, 1)).toDoubleArray()[0], 1e-15);
        assertEquals(1.0, Pooling.avgPool2d(ones, new PoolSpec(3, 3, 2, 2, 1, 1, false)).toDoubleArray()[0], 1e-15);
    }

    @Test
    void emptyBatch() {
        Tensor x = Tensor.zeros(0, 2, 4, 4);
        assertEquals(Shape.of(0, 2, 2, 2), Pooling.maxPool2d(x, PoolSpec.of(2, 2, 0)).values().shape());
        assertEquals(Shape.of(0, 2, 2, 2), Pooling.avgPool2d(x, PoolSpec.of(2, 2, 0)).shape());
    }

    // ---------------------------------------------------------------- errors

    @Test
    void forwardErrorsNameTheOperationAndShape() {
        assertMessage(() -> Pooling.maxPool2d(Tensor.zeros(2, 4, 4), PoolSpec.of(2, 2, 0)), "maxPool2d:", "[2, 4, 4]");
        assertMessage(() -> Pooling.avgPool1d(Tensor.zeros(2, 3, 4, 4), 2, 2, 0, true), "avgPool1d:", "[2, 3, 4, 4]");
        assertMessage(() -> Pooling.maxPool2d(Tensor.zeros(DType.INT64, 1, 1, 4, 4), PoolSpec.of(2, 2, 0)),
                "maxPool2d:", "INT64", "[1, 1, 4, 4]");
        assertMessage(() -> Pooling.avgPool2d(Tensor.zeros(1, 1, 2, 5), PoolSpec.of(3, 1, 0)),
                "avgPool2d:", "[1, 1, 2, 5]", "kernel (3, 3)");
        assertMessage(() -> Pooling.maxPool1d(Tensor.zeros(1, 1, 1), 4, 1, 1), "maxPool1d:", "[1, 1, 1]", "kernel 4");
        assertMessage(() -> Pooling.maxPool2d(Tensor.zeros(1, 0, 4, 4), PoolSpec.of(2, 2, 0)), "maxPool2d:", "[1, 0, 4, 4]");
    }

    @Test
    void invalid1dGeometryNamesTheOperation() {
        assertMessage(() -> Pooling.maxPool1d(Tensor.zeros(1, 1, 5), 0, 1, 0), "maxPool1d:", "kernel 0", "[1, 1, 5]");
        assertMessage(() -> Pooling.avgPool1d(Tensor.zeros(1, 1, 5), 2, 1, 2, true), "avgPool1d:", "padding 2", "[1, 1, 5]");
        assertMessage(() -> Pooling.avgPool1dBackward(Tensor.zeros(1, 1, 5), Shape.of(1, 1, 5), 3, 0, 1, true),
                "avgPool1dBackward:", "stride 0", "[1, 1, 5]");
    }

    @Test
    void backwardErrorsNameTheOperationAndShapes() {
        PoolSpec s = PoolSpec.of(2, 2, 0);
        Tensor idx = Tensor.zeros(DType.INT64, 1, 2, 2, 2);
        assertMessage(() -> Pooling.maxPool2dBackward(Tensor.zeros(1, 2, 3, 2), idx, Shape.of(1, 2, 4, 4), s),
                "maxPool2dBackward:", "[1, 2, 3, 2]", "[1, 2, 2, 2]", "[1, 2, 4, 4]");
        assertMessage(() -> Pooling.maxPool2dBackward(Tensor.zeros(1, 2, 2, 2), Tensor.zeros(1, 2, 2, 2),
                Shape.of(1, 2, 4, 4), s), "maxPool2dBackward:", "FLOAT32", "[1, 2, 2, 2]", "[1, 2, 4, 4]");
        assertMessage(() -> Pooling.maxPool2dBackward(Tensor.zeros(1, 2, 2, 2), Tensor.zeros(DType.INT64, 2, 1, 2, 2),
                Shape.of(1, 2, 4, 4), s), "maxPool2dBackward:", "[2, 1, 2, 2]", "[1, 2, 2, 2]", "[1, 2, 4, 4]");
        assertMessage(() -> Pooling.maxPool2dBackward(Tensor.zeros(DType.INT64, 1, 2, 2, 2), idx, Shape.of(1, 2, 4, 4), s),
                "maxPool2dBackward:", "INT64", "[1, 2, 2, 2]", "[1, 2, 4, 4]");
        assertMessage(() -> Pooling.avgPool2dBackward(Tensor.zeros(1, 2, 2, 3), Shape.of(1, 2, 4, 4), s),
                "avgPool2dBackward:", "[1, 2, 2, 3]", "[1, 2, 4, 4]", "[1, 2, 2, 2]");
        assertMessage(() -> Pooling.maxPool1dBackward(Tensor.zeros(1, 2, 2), Tensor.zeros(DType.INT64, 1, 2, 2),
                Shape.of(1, 2), 2, 2, 0), "maxPool1dBackward:", "[1, 2, 2]", "[1, 2]");
    }

    @Test
    void indicesOutsideThePlaneAreRejected() {
        Tensor idx = Tensor.of(new long[] {0, 16, 2, 3}, 1, 1, 2, 2);
        assertMessage(() -> Pooling.maxPool2dBackward(Tensor.zeros(1, 1, 2, 2), idx, Shape.of(1, 1, 4, 4),
                PoolSpec.of(2, 2, 0)), "maxPool2dBackward:", "16", "[1, 1, 2, 2]", "[1, 1, 4, 4]");
        Tensor neg = Tensor.of(new long[] {-1, 2}, 1, 1, 2);
        assertMessage(() -> Pooling.maxPool1dBackward(Tensor.zeros(1, 1, 2), neg, Shape.of(1, 1, 4), 2, 2, 0),
                "maxPool1dBackward:", "-1", "[1, 1, 2]", "[1, 1, 4]");
    }

    // ---------------------------------------------------------------- calls by dimensionality

    private static Tensor.ValuesAndIndices maxPool(Case c, Tensor x) {
        PoolSpec s = c.spec();
        return c.oneD() ? Pooling.maxPool1d(x, s.kernelW(), s.strideW(), s.padW()) : Pooling.maxPool2d(x, s);
    }

    private static Tensor maxPoolBackward(Case c, Tensor g, Tensor idx) {
        PoolSpec s = c.spec();
        return c.oneD() ? Pooling.maxPool1dBackward(g, idx, c.input(), s.kernelW(), s.strideW(), s.padW())
                : Pooling.maxPool2dBackward(g, idx, c.input(), s);
    }

    private static Tensor avgPool(Case c, Tensor x) {
        PoolSpec s = c.spec();
        return c.oneD() ? Pooling.avgPool1d(x, s.kernelW(), s.strideW(), s.padW(), s.countIncludePad())
                : Pooling.avgPool2d(x, s);
    }

    private static Tensor avgPoolBackward(Case c, Tensor g) {
        PoolSpec s = c.spec();
        return c.oneD() ? Pooling.avgPool1dBackward(g, c.input(), s.kernelW(), s.strideW(), s.padW(), s.countIncludePad())
                : Pooling.avgPool2dBackward(g, c.input(), s);
    }

    /**
     * Pooling from its definition: window (i, j) covers rows {@code i sH - pH + a} and columns
     * {@code j sW - pW + b} for a < kH, b < kW; the max is {@link Math#max} over the positions inside the
     * input with the first position holding it as index; the average divides by kH kW with
     * {@code countIncludePad}, else by the number of positions inside.
     */
    static final class Reference {
        private final Case c;
        private final double[] x;

        Reference(Case c, double[] x) {
            this.c = c;
            this.x = x;
        }

        interface Window {
            void visit(int out, int plane, List<Integer> inside);
        }

        private void windows(Window body) {
            PoolSpec s = c.spec();
            for (int plane = 0; plane < c.n() * c.c(); plane++) {
                for (int i = 0; i < c.oh(); i++) {
                    for (int j = 0; j < c.ow(); j++) {
                        List<Integer> inside = new ArrayList<>();
                        for (int a = 0; a < s.kernelH(); a++) {
                            for (int b = 0; b < s.kernelW(); b++) {
                                int r = i * s.strideH() - s.padH() + a;
                                int q = j * s.strideW() - s.padW() + b;
                                if (r >= 0 && r < c.h() && q >= 0 && q < c.w()) {
                                    inside.add(r * c.w() + q);
                                }
                            }
                        }
                        body.visit((plane * c.oh() + i) * c.ow() + j, plane, inside);
                    }
                }
            }
        }

        private double max(int plane, List<Integer> inside) {
            double m = Double.NEGATIVE_INFINITY;
            for (int at : inside) {
                m = Math.max(m, x[plane * c.h() * c.w() + at]);
            }
            return m;
        }

        double[] maxValues() {
            double[] y = new double[c.output().numel()];
            windows((out, plane, inside) -> y[out] = max(plane, inside));
            return y;
        }

        long[] argmax() {
            long[] idx = new long[c.output().numel()];
            windows((out, plane, inside) -> {
                double m = max(plane, inside);
                idx[out] = inside.stream().filter(at -> x[plane * c.h() * c.w() + at] == m).findFirst().orElseThrow();
            });
            return idx;
        }

        double[] maxBackward(double[] g) {
            double[] dx = new double[x.length];
            long[] idx = argmax();
            for (int out = 0; out < idx.length; out++) {
                int plane = out / (c.oh() * c.ow());
                dx[plane * c.h() * c.w() + (int) idx[out]] += g[out];
            }
            return dx;
        }

        private int divisor(List<Integer> inside) {
            return c.spec().countIncludePad() ? c.spec().kernelH() * c.spec().kernelW() : inside.size();
        }

        double[] avgValues() {
            double[] y = new double[c.output().numel()];
            windows((out, plane, inside) -> {
                for (int at : inside) {
                    y[out] += x[plane * c.h() * c.w() + at];
                }
                y[out] /= divisor(inside);
            });
            return y;
        }

        double[] avgBackward(double[] g) {
            double[] dx = new double[x.length];
            windows((out, plane, inside) -> {
                for (int at : inside) {
                    dx[plane * c.h() * c.w() + at] += g[out] / divisor(inside);
                }
            });
            return dx;
        }
    }
}
