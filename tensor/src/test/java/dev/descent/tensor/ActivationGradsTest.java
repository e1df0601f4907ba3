package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fused activation backward kernels against their definitions, computed here element by element. */
class ActivationGradsTest {
    /** Values at every edge of the mask x > 0: signed zeros, infinities, NaN, subnormals and the largest floats. */
    private static final double[] EDGES = {0.0, -0.0, 1.0, -1.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, Double.MIN_VALUE, -Double.MIN_VALUE, Float.MAX_VALUE,
        -Float.MAX_VALUE, Double.MAX_VALUE, 3e-39, -3e-39, 0.5, -2.5};

    private static double[] reference(double[] g, double[] x) {
        double[] out = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = Double.isNaN(x[i]) ? Double.NaN : g[i] * (x[i] > 0 ? 1 : 0);
        }
        return out;
    }

    @Test
    void reluMatchesTheMaskedProductAtEveryEdgeInBothDtypes() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            int n = EDGES.length;
            double[] x = new double[n * n];
            double[] g = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    x[i * n + j] = EDGES[i];
                    g[i * n + j] = EDGES[j];
                }
            }
            Tensor xt = Tensor.of(x, n, n).cast(dtype);
            Tensor gt = Tensor.of(g, n, n).cast(dtype);
            double[] got = ActivationGrads.relu(gt, xt).toDoubleArray();
            double[] want = reference(gt.toDoubleArray(), xt.toDoubleArray());
            for (int i = 0; i < want.length; i++) {
                // bit-for-bit, signed zeros and NaN included
                assertEquals(Double.doubleToLongBits(want[i]), Double.doubleToLongBits(got[i]),
                        dtype + ": x = " + xt.toDoubleArray()[i] + ", g = " + gt.toDoubleArray()[i] + ": " + got[i]);
            }
        }
    }

    @Test
    void reluTakesNonContiguousAndOffsetOperandsOfAnySize() {
        Rng rng = new Rng(3);
        for (int size : new int[] {1, 7, 1000, 300_001}) {
            Tensor x = Tensor.randn(rng, 2, size).select(0, 1);
            Tensor g = Tensor.randn(rng, size, 2).t().select(0, 0);
            Tensor expected = Tensor.of(reference(g.toDoubleArray(), x.toDoubleArray()), size).cast(DType.FLOAT32);
            assertArrayEquals(expected.toDoubleArray(), ActivationGrads.relu(g, x).toDoubleArray(), 0, "size " + size);
        }
        Tensor xd = Tensor.randn(rng, DType.FLOAT64, 6, 5).t();
        Tensor gd = Tensor.randn(rng, DType.FLOAT64, 5, 6);
        assertArrayEquals(reference(gd.toDoubleArray(), xd.toDoubleArray()),
                ActivationGrads.relu(gd, xd).toDoubleArray(), 0);
    }

    @Test
    void reluRejectsMismatchedOperandsNamingTheShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ActivationGrads.relu(Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("reluBackward") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ActivationGrads.relu(Tensor.zeros(2), Tensor.zeros(DType.FLOAT64, 2)));
    }

    /** y (g - sum(g y)) or g - exp(y) sum(g) over the last axis of [rows, cols] data, in double. */
    private static double[] softmaxBackwardReference(double[] y, double[] g, int cols, boolean log) {
        double[] out = new double[y.length];
        for (int r = 0; r < y.length / cols; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += log ? g[r * cols + j] : g[r * cols + j] * y[r * cols + j];
            }
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                out[i] = log ? g[i] - Math.exp(y[i]) * s : y[i] * (g[i] - s);
            }
        }
        return out;
    }

    @Test
    void softmaxBackwardsMatchTheirDefinitionsOnEveryAxisAndLayout() {
        Rng rng = new Rng(5);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = dtype == DType.FLOAT32 ? 1e-5 : 1e-13;
            for (boolean log : new boolean[] {false, true}) {
                Tensor x = Tensor.randn(rng, dtype, 7, 5, 3);
                Tensor g = Tensor.randn(rng, dtype, 3, 5, 7).permute(2, 1, 0); // non-contiguous
                for (int axis : new int[] {-1, 2, 1, 0}) {
                    Tensor y = log ? x.logSoftmax(axis) : x.softmax(axis);
                    Tensor got = log ? ActivationGrads.logSoftmax(g, y, axis) : ActivationGrads.softmax(g, y, axis);
                    // the axis moved last, so that the reference works on rows
                    int a = axis < 0 ? axis + 3 : axis;
                    Tensor yr = y.transpose(a, 2).contiguous();
                    Tensor gr = g.transpose(a, 2).contiguous();
                    Tensor want = Tensor.of(softmaxBackwardReference(yr.toDoubleArray(), gr.toDoubleArray(), yr.size(2),
                            log), yr.shape().toArray()).transpose(a, 2);
                    assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), tol,
                            dtype + (log ? " logSoftmax" : " softmax") + " axis " + axis);
                }
            }
        }
    }

    @Test
    void fusedSoftmaxKeepsTheComposedResultsOnInfiniteRows() {
        double inf = Double.POSITIVE_INFINITY;
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            // rows: all -inf (0/0: NaN), one +inf (NaN, as inf - inf), masked entries, an ordinary row
            Tensor x = Tensor.of(new double[] {-inf, -inf, -inf, 1, inf, 2, 3, -inf, 1, 0.5, -1, 2}, 4, 3).cast(dtype);
            assertArrayEquals(Reductions.composedSoftmax(x, 1).toDoubleArray(), x.softmax(1).toDoubleArray(), 1e-7);
            assertArrayEquals(Reductions.composedLogSoftmax(x, 1).toDoubleArray(), x.logSoftmax(-1).toDoubleArray(),
                    1e-6);
            assertTrue(Double.isNaN(x.softmax(1).toDoubleArray()[0]));
            assertEquals(0.0, x.softmax(1).toDoubleArray()[7]);
        }
    }

    @Test
    void softmaxBackwardRejectsMismatchedShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ActivationGrads.softmax(Tensor.zeros(2, 3), Tensor.zeros(3, 2), -1));
        assertTrue(e.getMessage().contains("softmaxBackward") && e.getMessage().contains("[3, 2]"), e.getMessage());
    }
}
