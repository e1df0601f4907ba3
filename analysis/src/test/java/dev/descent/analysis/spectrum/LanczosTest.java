package dev.descent.analysis.spectrum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.analysis.curvature.CurvatureOperator;
import dev.descent.analysis.curvature.DenseOperator;
import dev.descent.analysis.curvature.DiagonalOperator;
import dev.descent.tensor.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LanczosTest {
    /** 3 negative outliers, 494 eigenvalues in [0, 5], 3 positive outliers: both ends well separated. */
    private static DiagonalOperator separatedSpectrum() {
        Rng rng = new Rng(7);
        double[] d = new double[500];
        for (int i = 0; i < d.length; i++) {
            d[i] = 5 * rng.nextDouble();
        }
        d[10] = -30;
        d[20] = -20;
        d[30] = -10;
        d[40] = 50;
        d[50] = 70;
        d[60] = 100;
        return new DiagonalOperator(d);
    }

    @Test
    void findsTheTopOfADiagonalSpectrumInEveryOrder() {
        DiagonalOperator op = separatedSpectrum();
        Lanczos lanczos = new Lanczos(80);
        Eigenpairs la = lanczos.topK(op, 3, Which.LARGEST_ALGEBRAIC, false, new Rng(1));
        assertArrayEquals(new double[] {100, 70, 50}, la.values(), 1e-8);
        assertNull(la.vectors());
        Eigenpairs sa = lanczos.topK(op, 3, Which.SMALLEST_ALGEBRAIC, false, new Rng(2));
        assertArrayEquals(new double[] {-30, -20, -10}, sa.values(), 1e-8);
        Eigenpairs lm = lanczos.topK(op, 5, Which.LARGEST_MAGNITUDE, true, new Rng(3));
        assertArrayEquals(new double[] {100, 70, 50, -30, -20}, lm.values(), 1e-8);
        assertTrue(lm.maxRelativeResidual() < 1e-8, "residuals " + Arrays.toString(lm.residuals()));
        // the eigenvector of 100 is the unit vector e_60
        assertEquals(1, Math.abs(lm.vectors()[0][60]), 1e-8);
    }

    @Test
    void recoversAKnownSpectrumUnderARandomRotation() {
        Rng rng = new Rng(11);
        int n = 120;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = -2 + 4 * rng.nextDouble();
        }
        lambda[0] = 9;
        lambda[1] = 6;
        double[][] q = TestMatrices.randomOrthogonal(n, rng);
        DenseOperator op = DenseOperator.of(TestMatrices.withSpectrum(q, lambda));
        double[] sorted = lambda.clone();
        Arrays.sort(sorted);

        LanczosResult full = new Lanczos(n).run(op, new Rng(5));
        assertEquals(n, full.steps());
        assertArrayEquals(sorted, full.ritzValues(), 1e-10);
        assertEquals(1, Arrays.stream(full.quadratureWeights()).sum(), 1e-12);

        Eigenpairs top = new Lanczos(40).topK(op, 2, Which.LARGEST_ALGEBRAIC, true, new Rng(6));
        assertArrayEquals(new double[] {9, 6}, top.values(), 1e-9);
        for (int i = 0; i < 2; i++) {
            double alignment = TestMatrices.dot(top.vectors()[i], TestMatrices.column(q, i));
            assertEquals(1, Math.abs(alignment), 1e-8, "eigenvector " + i);
        }
    }

    @Test
    void agreesWithJacobiOnAWishartMatrix() {
        double[][] w = TestMatrices.wishart(200, 60, new Rng(21));
        double[] reference = TestMatrices.jacobiEigenvalues(w);
        DenseOperator op = DenseOperator.of(w);
        assertArrayEquals(reference, new Lanczos(60).run(op, new Rng(4)).ritzValues(), 1e-11);
        Eigenpairs top = Lanczos.forTopK(3, 60).topK(op, 3, Which.LARGEST_ALGEBRAIC, false, new Rng(8));
        for (int i = 0; i < 3; i++) {
            assertEquals(reference[59 - i], top.values()[i], 1e-6, "eigenvalue " + i);
        }
    }

    @Test
    void jacobiReferenceReproducesAKnownSpectrum() {
        Rng rng = new Rng(3);
        double[] lambda = {-3, -1, 0.5, 2, 2, 8};
        double[][] a = TestMatrices.withSpectrum(TestMatrices.randomOrthogonal(6, rng), lambda);
        assertArrayEquals(lambda, TestMatrices.jacobiEigenvalues(a), 1e-12);
    }

    @Test
    void ritzResidualsAreTheTrueResidualsBeforeConvergence() {
        Rng rng = new Rng(13);
        int n = 150;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = rng.nextGaussian();
        }
        DenseOperator op = DenseOperator.of(TestMatrices.withSpectrum(TestMatrices.randomOrthogonal(n, rng), lambda));
        LanczosResult result = new Lanczos(25).keepingBasis().run(op, new Rng(1));
        double largestResidual = 0;
        for (int k = 0; k < result.steps(); k++) {
            double[] v = result.ritzVector(k);
            assertEquals(1, TestMatrices.dot(v, v), 1e-12);
            double trueResidual = TestMatrices.residual(op, v, result.ritzValues()[k]);
            assertEquals(trueResidual, result.ritzResiduals()[k], 1e-10, "Ritz pair " + k);
            largestResidual = Math.max(largestResidual, trueResidual);
        }
        assertTrue(largestResidual > 0.1, "after 25 of 150 steps some Ritz pairs are far from converged");
    }

    @Test
    void fullReorthogonalisationKeepsTheBasisOrthonormalAndFreeOfGhosts() {
        // an isolated top eigenvalue converges early; without reorthogonalisation it would reappear as copies
        double[] d = new double[400];
        for (int i = 0; i < d.length; i++) {
            d[i] = i / 400.0;
        }
        d[0] = 10;
        LanczosResult result = new Lanczos(150).keepingBasis().run(new DiagonalOperator(d), new Rng(2));
        double[][] q = result.basis();
        double worst = 0;
        for (int i = 0; i < q.length; i++) {
            for (int j = 0; j <= i; j++) {
                worst = Math.max(worst, Math.abs(TestMatrices.dot(q[i], q[j]) - (i == j ? 1 : 0)));
            }
        }
        assertTrue(worst < 1e-13, "largest deviation of QᵀQ from I: " + worst);
        long copiesOfTop = Arrays.stream(result.ritzValues()).filter(t -> Math.abs(t - 10) < 1e-3).count();
        assertEquals(1, copiesOfTop);
    }

    @Test
    void breakdownOnARankThreeOperatorRestartsWithoutNaN() {
        Rng rng = new Rng(17);
        int n = 50;
        double[] lambda = new double[n];
        lambda[0] = 5;
        lambda[1] = 2;
        lambda[2] = -1;
        DenseOperator op = DenseOperator.of(TestMatrices.withSpectrum(TestMatrices.randomOrthogonal(n, rng), lambda));
        LanczosResult result = new Lanczos(10).run(op, new Rng(9));
        assertEquals(10, result.steps());
        assertTrue(result.restarts() > 0);
        for (double[] values : new double[][] {result.alphas(), result.betas(), result.ritzValues(),
            result.ritzResiduals(), result.quadratureWeights()}) {
            assertTrue(Arrays.stream(values).allMatch(Double::isFinite), Arrays.toString(values));
        }
        double[] theta = result.ritzValues();
        assertEquals(-1, theta[0], 1e-10);
        assertEquals(2, theta[theta.length - 2], 1e-10);
        assertEquals(5, theta[theta.length - 1], 1e-10);
        for (int k = 1; k < theta.length - 2; k++) {
            assertEquals(0, theta[k], 1e-10);
        }
        assertEquals(1, Arrays.stream(result.quadratureWeights()).sum(), 1e-12);
        Eigenpairs top = new Lanczos(10).topK(op, 3, Which.LARGEST_MAGNITUDE, true, new Rng(10));
        assertArrayEquals(new double[] {5, 2, -1}, top.values(), 1e-10);
        for (int i = 0; i < 3; i++) {
            assertTrue(TestMatrices.residual(op, top.vectors()[i], top.values()[i]) < 1e-9);
        }
    }

    @Test
    void theZeroOperatorGivesZerosNotNaN() {
        LanczosResult result = new Lanczos(5).run(new DiagonalOperator(new double[20]), new Rng(1));
        assertArrayEquals(new double[5], result.ritzValues());
        assertEquals(4, result.restarts());
    }

    @Test
    void aStartVectorInATwoDimensionalInvariantSubspaceGivesItsExactQuadrature() {
        double[] d = {3, 7, 1, 2, 4, 5};
        double[] start = {1, 1, 0, 0, 0, 0};
        LanczosResult result = new Lanczos(6).run(new DiagonalOperator(d), start, new Rng(1));
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 7}, result.ritzValues(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0.5, 0, 0, 0.5}, result.quadratureWeights(), 1e-12);
        assertEquals(0, result.betas()[1], "breakdown after two steps leaves β_2 = 0 in T");
        assertArrayEquals(new double[] {1, 1, 0, 0, 0, 0}, start, "the start vector is not modified");
    }

    @Test
    void stopsWhenTheBasisSpansTheSpace() {
        LanczosResult result = new Lanczos(100).run(new DiagonalOperator(new double[] {1, 2, 3}), new Rng(1));
        assertEquals(3, result.steps());
        assertArrayEquals(new double[] {1, 2, 3}, result.ritzValues(), 1e-13);
        assertTrue(result.betas()[2] < 1e-13);
    }

    @Test
    void isReproducibleFromTheSeed() {
        DiagonalOperator op = separatedSpectrum();
        Lanczos lanczos = new Lanczos(20).withStart(Probe.GAUSSIAN);
        assertArrayEquals(lanczos.run(op, new Rng(42)).alphas(), lanczos.run(op, new Rng(42)).alphas());
        assertFalse(Arrays.equals(lanczos.run(op, new Rng(42)).alphas(), lanczos.run(op, new Rng(43)).alphas()));
    }

    @Test
    void defaultTopKStepsFollowTheDocumentedRule() {
        assertEquals(30, Lanczos.forTopK(5, 1000).steps());
        assertEquals(41, Lanczos.forTopK(20, 1000).steps());
        assertEquals(12, Lanczos.forTopK(5, 12).steps());
    }

    @Test
    void rejectsBadInput() {
        CurvatureOperator op = new DiagonalOperator(new double[] {1, 2, 3, 4});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Lanczos(0));
        assertTrue(e.getMessage().contains("steps must be at least 1, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Lanczos(10).topK(op, 5, Which.LARGEST_ALGEBRAIC, false, new Rng(1)));
        assertTrue(e.getMessage().contains("k = 5 must lie in 1..4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Lanczos(2).topK(op, 3, Which.LARGEST_ALGEBRAIC, false, new Rng(1)));
        assertTrue(e.getMessage().contains("this process has 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Lanczos(3).run(op, new double[3], new Rng(1)));
        assertTrue(e.getMessage().contains("vector has 3 elements, the operator maps vectors of 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Lanczos(3).run(op, new double[4], new Rng(1)));
        assertTrue(e.getMessage().contains("nonzero"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Lanczos(3).withBreakdownTolerance(0));
        assertThrows(IllegalStateException.class, () -> new Lanczos(3).run(op, new Rng(1)).ritzVector(0));
        IllegalStateException bad = assertThrows(IllegalStateException.class,
                () -> new Lanczos(3).run(new NaNOperator(), new Rng(1)));
        assertTrue(bad.getMessage().contains("non-finite"), bad.getMessage());
    }

    private static final class NaNOperator implements CurvatureOperator {
        @Override
        public int size() {
            return 4;
        }

        @Override
        public double[] apply(double[] v) {
            return new double[] {0, Double.NaN, 0, 0};
        }
    }
}
