package dev.descent.analysis.spectrum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.Rng;
import org.junit.jupiter.api.Test;

class TridiagonalEigenTest {
    private static double[][] dense(double[] d, double[] e) {
        int n = d.length;
        double[][] t = new double[n][n];
        for (int i = 0; i < n; i++) {
            t[i][i] = d[i];
            if (i + 1 < n) {
                t[i][i + 1] = e[i];
                t[i + 1][i] = e[i];
            }
        }
        return t;
    }

    /** Checks T y_k = θ_k y_k, orthonormal y, ascending θ, and θ against the Jacobi reference. */
    private static void checkDecomposition(double[] d, double[] e, double tolerance) {
        TridiagonalEigen eigen = TridiagonalEigen.of(d, e);
        double[][] t = dense(d, e);
        int n = d.length;
        assertArrayEquals(TestMatrices.jacobiEigenvalues(t), eigen.values(), tolerance);
        for (int k = 0; k < n; k++) {
            double[] y = eigen.vectors()[k];
            if (k > 0) {
                assertTrue(eigen.values()[k - 1] <= eigen.values()[k]);
            }
            for (int i = 0; i < n; i++) {
                double ty = 0;
                for (int j = 0; j < n; j++) {
                    ty += t[i][j] * y[j];
                }
                assertEquals(eigen.values()[k] * y[i], ty, tolerance, "T y = θ y, pair " + k + " row " + i);
            }
            for (int l = 0; l < n; l++) {
                assertEquals(k == l ? 1 : 0, TestMatrices.dot(y, eigen.vectors()[l]), 1e-13, "YᵀY = I");
            }
        }
    }

    @Test
    void decomposesARandomTridiagonalMatrix() {
        Rng rng = new Rng(1);
        int n = 60;
        double[] d = new double[n];
        double[] e = new double[n - 1];
        for (int i = 0; i < n; i++) {
            d[i] = rng.nextGaussian() * 3;
            if (i < n - 1) {
                e[i] = rng.nextGaussian();
            }
        }
        checkDecomposition(d, e, 1e-12);
    }

    @Test
    void handlesSplitsRepeatedAndNearlyEqualEigenvalues() {
        // zero couplings split the matrix; a constant block has one repeated eigenvalue
        checkDecomposition(new double[] {2, 2, 2, 5, 5, -1}, new double[] {0, 0, 1e-300, 0, 0}, 1e-13);
        // Wilkinson's W21+: its largest eigenvalues come in pairs agreeing to about 1e-13
        int n = 21;
        double[] d = new double[n];
        double[] e = new double[n - 1];
        for (int i = 0; i < n; i++) {
            d[i] = Math.abs(10 - i);
        }
        java.util.Arrays.fill(e, 1);
        checkDecomposition(d, e, 1e-12);
    }

    @Test
    void decomposesMatricesWithWidelyDifferentScales() {
        checkDecomposition(new double[] {1e8, 1, 1e-8, -3e4}, new double[] {1e3, 1e-4, 2}, 1e-7);
    }

    @Test
    void oneByOneIsItsOwnEigenvalue() {
        TridiagonalEigen eigen = TridiagonalEigen.of(new double[] {-4.5}, new double[0]);
        assertArrayEquals(new double[] {-4.5}, eigen.values());
        assertArrayEquals(new double[] {1}, eigen.vectors()[0]);
    }

    @Test
    void rejectsMismatchedOrNonFiniteInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TridiagonalEigen.of(new double[] {1, 2, 3}, new double[] {1}));
        assertTrue(e.getMessage().contains("3 diagonal entries need 2 off-diagonal entries, got 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TridiagonalEigen.of(new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class,
                () -> TridiagonalEigen.of(new double[] {1, Double.NaN}, new double[] {1}));
    }
}
