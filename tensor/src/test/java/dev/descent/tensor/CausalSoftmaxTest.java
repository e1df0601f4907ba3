package dev.descent.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Tensor#causalSoftmax} and its backward {@link ActivationGrads#causalSoftmax} against a reference
 * computed here in double from the definition (row i of each [lq, lk] matrix is the softmax of
 * {@code scale * x[i, 0..i]}, zeros after), against the composed operations they replace (scale, -inf fill,
 * softmax), on square and rectangular matrices, batches, non-contiguous inputs, and non-finite values at
 * the masked positions.
 */
class CausalSoftmaxTest {
    static final Set<String> COVERS = Set.of("causalSoftmax");

    private static final int[][] SHAPES = {{4, 4}, {3, 5}, {5, 3}, {2, 3, 6, 6}, {2, 7, 4}, {1, 1}, {2, 64, 64}};

    /** The definition, in double, from x's values. */
    private static double[] reference(Tensor x, double scale) {
        int lq = x.size(-2);
        int lk = x.size(-1);
        double[] v = x.toDoubleArray();
        double[] out = new double[v.length];
        for (int r = 0; r * lk < v.length; r++) {
            int n = Math.min(r % lq + 1, lk);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, scale * v[r * lk + j]);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(scale * v[r * lk + j] - max);
            }
            for (int j = 0; j < n; j++) {
                out[r * lk + j] = Math.exp(scale * v[r * lk + j] - max) / sum;
            }
        }
        return out;
    }

    /** What the fused operation replaces: scale, -inf at the positions j > i, softmax over the last axis. */
    private static Tensor composed(Tensor x, double scale) {
        Tensor above = Tensor.arange(x.size(-1)).unsqueeze(0).gt(Tensor.arange(x.size(-2)).unsqueeze(1));
        return x.mul(scale).maskedFill(above, Double.NEGATIVE_INFINITY).softmax(-1);
    }

    /** The largest distance in units of the last place of b between two float tensors. */
    private static double maxUlps(Tensor a, Tensor b) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.ulp(y[i]));
        }
        return worst;
    }

    @Test
    void float64EqualsTheDefinitionAndTheComposedOperationsExactly() {
        Rng rng = new Rng(41);
        for (int[] shape : SHAPES) {
            Tensor x = Tensor.randn(rng, DType.FLOAT64, shape).mul(3);
            double scale = 0.37;
            Tensor y = x.causalSoftmax(scale);
            assertArrayEquals(composed(x, scale).toDoubleArray(), y.toDoubleArray(), 0, "composed " + x.shape());
            double[] ref = reference(x, scale);
            double[] got = y.toDoubleArray();
            for (int i = 0; i < got.length; i++) {
                assertEquals(ref[i], got[i], 1e-15 * Math.max(ref[i], 1e-300) + 1e-300, x.shape() + " element " + i);
            }
        }
    }

    @Test
    void float32IsWithinTwoUlpOfTheComposedOperationsAndCloseToTheDefinition() {
        Rng rng = new Rng(42);
        for (int[] shape : SHAPES) {
            Tensor x = Tensor.randn(rng, DType.FLOAT32, shape).mul(4);
            double scale = 1 / Math.sqrt(8);
            Tensor y = x.causalSoftmax(scale);
            assertEquals(DType.FLOAT32, y.dtype());
            assertTrue(maxUlps(y, composed(x, scale)) <= 2, "composed " + x.shape() + ": " + maxUlps(y, composed(x, scale)));
            double[] ref = reference(x.mul(scale).div(scale), scale); // x * scale as the float kernel rounds it
            float[] got = y.toFloatArray();
            for (int i = 0; i < got.length; i++) {
                // float32 rounds x - max (|x - max| < 16 here, so by up to 2^-20) before the exponential
                assertEquals(ref[i], got[i], 2e-6 * ref[i] + 1e-30, x.shape() + " element " + i);
            }
        }
    }

    @Test
    void maskedPositionsAreExactlyZeroAndNeverRead() {
        Rng rng = new Rng(43);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : new int[][] {{5, 5}, {3, 6}, {6, 3}, {2, 4, 4}}) {
                Tensor x = Tensor.randn(rng, dtype, shape);
                int lq = shape[shape.length - 2];
                int lk = shape[shape.length - 1];
                Tensor above = Tensor.arange(lk).unsqueeze(0).gt(Tensor.arange(lq).unsqueeze(1));
                double[] poison = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e30};
                Tensor clean = x.causalSoftmax(0.5);
                for (double p : poison) {
                    Tensor y = x.maskedFill(above, p).causalSoftmax(0.5);
                    assertArrayEquals(clean.toDoubleArray(), y.toDoubleArray(), 0, dtype + " " + p + " at masked positions");
                }
                double[] v = clean.toDoubleArray();
                for (int i = 0; i < v.length; i++) {
                    int row = (i / lk) % lq;
                    int col = i % lk;
                    if (col > row) {
                        assertEquals(0L, Double.doubleToRawLongBits(v[i]), "masked (" + row + ", " + col + ") is +0");
                    } else {
                        assertTrue(v[i] > 0 && v[i] <= 1, "visible (" + row + ", " + col + ")");
                    }
                }
            }
        }
    }

    @Test
    void visibleNonFiniteValuesBehaveAsInSoftmax() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double nan = Double.NaN;
            double inf = Double.POSITIVE_INFINITY;
            Tensor x = Tensor.of(new double[] {1, 9, 9, -inf, 2, 9, 0, nan, 5}, 3, 3).cast(dtype);
            Tensor y = x.causalSoftmax(2);
            assertArrayEquals(composed(x, 2).toDoubleArray(), y.toDoubleArray(), 0, dtype.toString());
            assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, nan, nan, nan}, y.toDoubleArray(), 0, dtype.toString());
        }
    }

    @Test
    void nonContiguousInputsAreRead() {
        Rng rng = new Rng(44);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor base = Tensor.randn(rng, dtype, 2, 5, 4);
            Tensor view = base.transpose(1, 2); // [2, 4, 5], not contiguous
            assertTrue(!view.isContiguous());
            assertArrayEquals(view.contiguous().causalSoftmax(0.8).toDoubleArray(),
                    view.causalSoftmax(0.8).toDoubleArray(), 0, dtype.toString());
        }
    }

    @Test
    void emptyShapesGiveEmptyResults() {
        assertEquals(Shape.of(2, 0, 3), Tensor.zeros(DType.FLOAT32, 2, 0, 3).causalSoftmax(1).shape());
        assertEquals(Shape.of(3, 0), Tensor.zeros(DType.FLOAT64, 3, 0).causalSoftmax(1).shape());
    }

    @Test
    void backwardIsScaleTimesTheSoftmaxBackwardOverTheVisiblePart() {
        Rng rng = new Rng(45);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : SHAPES) {
                Tensor x = Tensor.randn(rng, dtype, shape);
                Tensor g = Tensor.randn(rng, dtype, shape);
                double scale = 0.6;
                Tensor y = x.causalSoftmax(scale);
                Tensor grad = ActivationGrads.causalSoftmax(g, y, scale);
                // the composed formula: masked y is 0, so the full-row softmax backward sees only the visible part
                Tensor expected = ActivationGrads.softmax(g, y, -1).mul(scale);
                assertArrayEquals(expected.toDoubleArray(), grad.toDoubleArray(), 0, dtype + " " + y.shape());
                double[] yv = y.toDoubleArray();
                double[] gv = g.toDoubleArray();
                double[] got = grad.toDoubleArray();
                int lk = y.size(-1);
                for (int r = 0; r * lk < yv.length; r++) {
                    double dot = 0;
                    for (int j = 0; j < lk; j++) {
                        dot += yv[r * lk + j] * gv[r * lk + j];
                    }
                    for (int j = 0; j < lk; j++) {
                        int i = r * lk + j;
                        double tol = dtype == DType.FLOAT32 ? 1e-6 : 1e-15;
                        assertEquals(scale * yv[i] * (gv[i] - dot), got[i], tol, dtype + " row " + r + " col " + j);
                    }
                }
                Tensor above = Tensor.arange(y.size(-1)).unsqueeze(0).gt(Tensor.arange(y.size(-2)).unsqueeze(1));
                Tensor poisoned = ActivationGrads.causalSoftmax(g.maskedFill(above, Double.NaN), y, scale);
                assertArrayEquals(grad.toDoubleArray(), poisoned.toDoubleArray(), 0, "g is not read where masked");
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 3, 3);
        assertMessage(() -> Tensor.zeros(DType.FLOAT32, 4).causalSoftmax(1), "rank 2 or more");
        assertMessage(() -> Tensor.zeros(DType.INT64, 3, 3).causalSoftmax(1), "causalSoftmax");
        assertMessage(() -> x.causalSoftmax(Double.NaN), "finite");
        assertMessage(() -> x.causalSoftmax(Double.POSITIVE_INFINITY), "finite");
        assertMessage(() -> ActivationGrads.causalSoftmax(Tensor.zeros(DType.FLOAT32, 3, 4), x, 1), "[3, 4]");
        assertMessage(() -> ActivationGrads.causalSoftmax(Tensor.zeros(DType.FLOAT64, 3, 3), x, 1), "causalSoftmaxBackward");
    }

    private static void assertMessage(Runnable r, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
