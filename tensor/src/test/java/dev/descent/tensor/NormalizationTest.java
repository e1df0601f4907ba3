package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fused layer-norm kernels against plain loops written here from the definitions, in double. */
class NormalizationTest {
    private static final int ROWS = 7;
    private static final int COLS = 5;

    /** Reference forward and backward from the definitions: y, and dx, dw, db for the output gradient g. */
    private static double[][] reference(double[] x, double[] w, double[] b, double[] g, double eps) {
        double[] y = new double[x.length];
        double[] dx = new double[x.length];
        double[] dw = new double[COLS];
        double[] db = new double[COLS];
        for (int r = 0; r < ROWS; r++) {
            double mu = 0;
            for (int j = 0; j < COLS; j++) {
                mu += x[r * COLS + j] / COLS;
            }
            double var = 0;
            for (int j = 0; j < COLS; j++) {
                var += (x[r * COLS + j] - mu) * (x[r * COLS + j] - mu) / COLS;
            }
            double s = 1 / Math.sqrt(var + eps);
            double[] xhat = new double[COLS];
            double[] gh = new double[COLS];
            double meanGh = 0;
            double meanGhX = 0;
            for (int j = 0; j < COLS; j++) {
                xhat[j] = (x[r * COLS + j] - mu) * s;
                y[r * COLS + j] = xhat[j] * (w == null ? 1 : w[j]) + (b == null ? 0 : b[j]);
                gh[j] = g[r * COLS + j] * (w == null ? 1 : w[j]);
                meanGh += gh[j] / COLS;
                meanGhX += gh[j] * xhat[j] / COLS;
                dw[j] += g[r * COLS + j] * xhat[j];
                db[j] += g[r * COLS + j];
            }
            for (int j = 0; j < COLS; j++) {
                dx[r * COLS + j] = s * (gh[j] - meanGh - xhat[j] * meanGhX);
            }
        }
        return new double[][] {y, dx, dw, db};
    }

    @Test
    void forwardAndBackwardMatchTheDefinitions() {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            for (boolean affine : new boolean[] {true, false}) {
                Rng rng = new Rng(3);
                Tensor x = Tensor.randn(rng, dtype, ROWS, COLS).mul(3).add(1);
                Tensor w = affine ? Tensor.randn(rng, dtype, COLS) : null;
                Tensor b = affine ? Tensor.randn(rng, dtype, COLS) : null;
                Tensor g = Tensor.randn(rng, dtype, ROWS, COLS);
                double[][] ref = reference(x.toDoubleArray(), affine ? w.toDoubleArray() : null,
                        affine ? b.toDoubleArray() : null, g.toDoubleArray(), 1e-5);
                // a transposed view as input: the kernels take any layout
                Tensor xv = x.t().contiguous().t();
                Normalization.LayerNormResult r = Normalization.layerNorm(xv, COLS, w, b, 1e-5);
                Normalization.LayerNormGrads d = Normalization.layerNormBackward(g, xv, r.mean(), r.rstd(), w, COLS,
                        true, affine, affine);
                double tol = dtype == DType.FLOAT64 ? 1e-12 : 1e-5;
                assertArrayEquals(ref[0], r.output().toDoubleArray(), tol);
                assertArrayEquals(ref[1], d.input().toDoubleArray(), tol);
                if (affine) {
                    assertArrayEquals(ref[2], d.weight().toDoubleArray(), tol);
                    assertArrayEquals(ref[3], d.bias().toDoubleArray(), tol);
                } else {
                    assertNull(d.weight());
                }
            }
        }
    }

    /**
     * FLOAT32 rows of 64 elements and more are summed in blocks of float partial sums: forward and backward
     * agree with the FLOAT64 kernels on the same values to float precision, with a tail after the blocks
     * (200 = 3 * 64 + 8) and an offset mean (the variance is taken about it).
     */
    @Test
    void blockedFloatSumsAgreeWithDoubleOnLongRows() {
        Rng rng = new Rng(8);
        Tensor x64 = Tensor.randn(rng, DType.FLOAT64, 9, 200).mul(2).add(5);
        Tensor g64 = Tensor.randn(rng, DType.FLOAT64, 9, 200);
        Tensor w64 = Tensor.randn(rng, DType.FLOAT64, 200);
        Tensor b64 = Tensor.randn(rng, DType.FLOAT64, 200);
        Tensor x32 = x64.cast(DType.FLOAT32);
        x64 = x32.cast(DType.FLOAT64); // the same values in both dtypes
        Tensor g32 = g64.cast(DType.FLOAT32);
        Tensor w32 = w64.cast(DType.FLOAT32);
        Tensor b32 = b64.cast(DType.FLOAT32);
        Normalization.LayerNormResult r64 = Normalization.layerNorm(x64, 200, w32.cast(DType.FLOAT64),
                b32.cast(DType.FLOAT64), 1e-5);
        Normalization.LayerNormResult r32 = Normalization.layerNorm(x32, 200, w32, b32, 1e-5);
        assertArrayEquals(r64.output().toDoubleArray(), r32.output().toDoubleArray(), 2e-5);
        assertArrayEquals(r64.rstd().toDoubleArray(), r32.rstd().toDoubleArray(), 1e-6);
        Normalization.LayerNormGrads d64 = Normalization.layerNormBackward(g32.cast(DType.FLOAT64), x64, r64.mean(),
                r64.rstd(), w32.cast(DType.FLOAT64), 200, true, true, true);
        Normalization.LayerNormGrads d32 = Normalization.layerNormBackward(g32, x32, r32.mean(), r32.rstd(), w32, 200,
                true, true, true);
        assertArrayEquals(d64.input().toDoubleArray(), d32.input().toDoubleArray(), 2e-5);
        assertArrayEquals(d64.weight().toDoubleArray(), d32.weight().toDoubleArray(), 1e-4);
        assertArrayEquals(d64.bias().toDoubleArray(), d32.bias().toDoubleArray(), 1e-4);
    }

    @Test
    void largeTensorsSplitAcrossThreadsGiveTheSameSums() {
        Rng rng = new Rng(4);
        Tensor x = Tensor.randn(rng, DType.FLOAT64, 3000, 128);
        Tensor g = Tensor.randn(rng, DType.FLOAT64, 3000, 128);
        Tensor w = Tensor.randn(rng, DType.FLOAT64, 128);
        Normalization.LayerNormResult r = Normalization.layerNorm(x, 128, w, null, 1e-5);
        Normalization.LayerNormGrads d = Normalization.layerNormBackward(g, x, r.mean(), r.rstd(), w, 128, false, true, true);
        // dw = sum over rows of g * xhat, db = sum over rows of g, with xhat from the composite operations
        Tensor xhat = x.sub(x.mean(new int[] {1}, true)).div(x.var(new int[] {1}, 0, true).add(1e-5).sqrt());
        assertArrayEquals(g.mul(xhat).sum(0).toDoubleArray(), d.weight().toDoubleArray(), 1e-9);
        assertArrayEquals(g.sum(0).toDoubleArray(), d.bias().toDoubleArray(), 1e-9);
    }

    @Test
    void badShapesAreReported() {
        Tensor x = Tensor.zeros(4, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalization.layerNorm(x, 6, Tensor.ones(5), null, 1e-5));
        assertTrue(e.getMessage().contains("layerNorm") && e.getMessage().contains("[5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Normalization.layerNorm(x, 7, null, null, 1e-5));
    }
}
