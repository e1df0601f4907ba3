package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Affine#linear} against sums written here from the definition, in double. */
class AffineTest {
    /** y[r, o] = sum_i x[r, i] w[o, i] + b[o] over the rows r of x flattened to [rows, in]. */
    private static double[] reference(double[] x, double[] w, double[] b, int in, int out) {
        int rows = in == 0 ? 0 : x.length / in;
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += x[r * in + i] * w[o * in + i];
                }
                y[r * out + o] = s;
            }
        }
        return y;
    }

    @Test
    void matchesTheDefinitionForBatchedAndStridedInputs() {
        Rng rng = new Rng(9);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = dtype == DType.FLOAT32 ? 1e-4 : 1e-12;
            // rows 1, 2, 3, 5 and 37 (not powers of two: the bias rows are doubled then cut)
            for (int[] lead : new int[][] {{1}, {2}, {3}, {5}, {37}, {4, 9}}) {
                int[] xs = java.util.Arrays.copyOf(lead, lead.length + 1);
                xs[lead.length] = 6;
                Tensor x = Tensor.randn(rng, dtype, xs);
                Tensor w = Tensor.randn(rng, dtype, 4, 6);
                Tensor b = Tensor.randn(rng, dtype, 4);
                Tensor y = Affine.linear(x, w, b);
                int[] ys = xs.clone();
                ys[lead.length] = 4;
                assertArrayEquals(ys, y.shape().toArray());
                assertArrayEquals(reference(x.toDoubleArray(), w.toDoubleArray(), b.toDoubleArray(), 6, 4),
                        y.toDoubleArray(), tol, dtype + " rows " + java.util.Arrays.toString(lead));
            }
            // a transposed input, a transposed weight and a strided bias
            Tensor x = Tensor.randn(rng, dtype, 6, 11).t();
            Tensor w = Tensor.randn(rng, dtype, 6, 3).t();
            Tensor b = Tensor.randn(rng, dtype, 6).slice(0, 0, 6, 2);
            assertArrayEquals(reference(x.contiguous().toDoubleArray(), w.contiguous().toDoubleArray(),
                    b.toDoubleArray(), 6, 3), Affine.linear(x, w, b).toDoubleArray(), tol);
        }
    }

    @Test
    void emptyInputsGiveTheBiasOrNothing() {
        Tensor noFeatures = Affine.linear(Tensor.zeros(3, 0), Tensor.zeros(2, 0), Tensor.of(1f, 2f));
        assertArrayEquals(new double[] {1, 2, 1, 2, 1, 2}, noFeatures.toDoubleArray());
        assertEquals(0, Affine.linear(Tensor.zeros(0, 4), Tensor.zeros(2, 4), Tensor.zeros(2)).numel());
    }

    @Test
    void mismatchedShapesAreReportedWithAllThree() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Affine.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 5), Tensor.zeros(4)));
        assertTrue(e.getMessage().contains("linear") && e.getMessage().contains("[4, 5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Affine.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 3), Tensor.zeros(3)));
    }
}
