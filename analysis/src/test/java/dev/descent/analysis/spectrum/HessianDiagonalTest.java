package dev.descent.analysis.spectrum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.analysis.curvature.DenseOperator;
import dev.descent.analysis.curvature.DiagonalOperator;
import dev.descent.tensor.Rng;
import org.junit.jupiter.api.Test;

class HessianDiagonalTest {
    @Test
    void exactDiagonalReadsTheMatrixDiagonal() {
        double[][] a = HutchinsonTest.randomSymmetric(12, new Rng(1));
        double[] expected = new double[12];
        for (int i = 0; i < 12; i++) {
            expected[i] = a[i][i];
        }
        assertArrayEquals(expected, HessianDiagonal.exact(DenseOperator.of(a)), 1e-15);
    }

    @Test
    void estimateIsExactForADiagonalOperator() {
        DiagonalEstimate e = HessianDiagonal.estimate(new DiagonalOperator(new double[] {1, -2, 3}), 2, new Rng(2));
        assertArrayEquals(new double[] {1, -2, 3}, e.diagonal(), 1e-15);
        assertArrayEquals(new double[3], e.standardErrors(), 0);
        assertEquals(2, e.samples());
    }

    @Test
    void estimateConvergesAtTheMonteCarloRate() {
        double[][] a = HutchinsonTest.randomSymmetric(30, new Rng(3));
        DenseOperator op = DenseOperator.of(a);
        double[] few = errors(HessianDiagonal.estimate(op, 20, new Rng(4)).diagonal(), a);
        DiagonalEstimate many = HessianDiagonal.estimate(op, 2000, new Rng(5));
        double[] err = errors(many.diagonal(), a);
        // 100 times the samples: the RMS error should shrink about tenfold
        assertTrue(rms(err) < 0.2 * rms(few), "RMS error " + rms(err) + " after 2000 samples, " + rms(few) + " after 20");
        // each entry's variance per sample is Σ_{j≠i} A_ij², so its standard error is predictable
        for (int i = 0; i < 30; i++) {
            double offDiagonal = 0;
            for (int j = 0; j < 30; j++) {
                offDiagonal += j == i ? 0 : a[i][j] * a[i][j];
            }
            double predicted = Math.sqrt(offDiagonal / 2000);
            assertEquals(predicted, many.standardErrors()[i], 0.15 * predicted, "standard error of entry " + i);
            assertTrue(Math.abs(err[i]) < 4 * many.standardErrors()[i], "entry " + i);
        }
    }

    private static double[] errors(double[] estimate, double[][] a) {
        double[] e = new double[estimate.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = estimate[i] - a[i][i];
        }
        return e;
    }

    private static double rms(double[] x) {
        return Math.sqrt(TestMatrices.dot(x, x) / x.length);
    }

    @Test
    void rejectsFewerThanTwoSamples() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HessianDiagonal.estimate(new DiagonalOperator(new double[] {1}), 1, new Rng(1)));
        assertTrue(e.getMessage().contains("at least 2, got 1"), e.getMessage());
    }
}
