package dev.descent.analysis.spectrum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.analysis.curvature.DenseOperator;
import dev.descent.analysis.curvature.DiagonalOperator;
import dev.descent.tensor.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StochasticLanczosQuadratureTest {
    /** 30% of the eigenvalues in [1, 1.05], 70% in [10, 10.5]. */
    private static DiagonalOperator twoClusters(int n) {
        Rng rng = new Rng(5);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i < 3 * n / 10 ? 1 + 0.05 * rng.nextDouble() : 10 + 0.5 * rng.nextDouble();
        }
        return new DiagonalOperator(d);
    }

    @Test
    void everyRunsWeightsSumToOneAndItsNodesLieInTheSpectrum() {
        SlqResult slq = new StochasticLanczosQuadrature(4, 30, Probe.GAUSSIAN).estimate(twoClusters(500), new Rng(1));
        assertEquals(4, slq.runs());
        for (int r = 0; r < slq.runs(); r++) {
            assertEquals(30, slq.nodes()[r].length);
            assertEquals(1, Arrays.stream(slq.weights()[r]).sum(), 1e-12);
            assertTrue(Arrays.stream(slq.weights()[r]).allMatch(w -> w >= 0));
        }
        assertTrue(slq.minNode() >= 1 - 1e-12 && slq.maxNode() <= 10.5 + 1e-12);
    }

    @Test
    void massSplitsBetweenTwoClustersAsTheEigenvaluesDo() {
        // Gaussian starts are rotation invariant, so on a diagonal operator they behave as on any matrix with
        // this spectrum (Rademacher starts would give exactly 0.3 here: each z_i² is 1)
        SlqResult slq = new StochasticLanczosQuadrature(10, 80, Probe.GAUSSIAN).estimate(twoClusters(1000), new Rng(2));
        assertTrue(Math.abs(slq.massBetween(0.5, 1.5) - 0.3) > 1e-4, "the mass is a random estimate, not exact");
        assertEquals(0.3, slq.massBetween(0.5, 1.5), 0.05);
        assertEquals(0.7, slq.massBetween(9.5, 11), 0.05);
        SpectralDensity density = SpectralDensity.gaussian(slq, 0.05);
        assertEquals(1, density.integral(), 1e-3);
        assertEquals(0.3, massBelow(density, 5), 0.05);
    }

    private static double massBelow(SpectralDensity density, double t) {
        double sum = 0;
        double[] g = density.grid();
        for (int i = 1; i < g.length && g[i] <= t; i++) {
            sum += 0.5 * (density.density()[i] + density.density()[i - 1]) * (g[i] - g[i - 1]);
        }
        return sum;
    }

    @Test
    void densityOfAUniformDiagonalSpectrumIntegratesToOneAndIsFlat() {
        double[] d = new double[2000];
        for (int i = 0; i < d.length; i++) {
            d[i] = 10.0 * i / d.length;
        }
        SlqResult slq = new StochasticLanczosQuadrature(10, 80, Probe.RADEMACHER).estimate(new DiagonalOperator(d),
                new Rng(3));
        SpectralDensity density = SpectralDensity.gaussian(slq, 0.3);
        assertEquals(1, density.integral(), 1e-3);
        // the uniform density on [0, 10] is 0.1; away from the edges the smoothed estimate is close to it
        for (double t : new double[] {2.5, 5, 7.5}) {
            int i = (int) Math.round((t - density.grid()[0]) / (density.grid()[1] - density.grid()[0]));
            assertEquals(0.1, density.density()[i], 0.02, "density at " + t);
        }
    }

    @Test
    void traceEstimateIsExactForADiagonalWithRademacherStarts() {
        // with v = z/sqrt(P), P·Σ τθ = P·vᵀAv = Σ_i d_i z_i² = tr(A) exactly
        DiagonalOperator op = twoClusters(300);
        double trace = Arrays.stream(op.diagonal()).sum();
        SlqResult slq = new StochasticLanczosQuadrature(3, 20, Probe.RADEMACHER).estimate(op, new Rng(4));
        assertEquals(trace, slq.traceEstimate(), 1e-10 * trace);
    }

    @Test
    void traceEstimateIsCloseOnADenseMatrix() {
        Rng rng = new Rng(6);
        int n = 150;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = 1 + 3 * rng.nextDouble();
        }
        DenseOperator op = DenseOperator.of(TestMatrices.withSpectrum(TestMatrices.randomOrthogonal(n, rng), lambda));
        double trace = Arrays.stream(lambda).sum();
        SlqResult slq = new StochasticLanczosQuadrature(10, 20, Probe.GAUSSIAN).estimate(op, new Rng(7));
        // each run's relative error is about sqrt(2·Var(λ)/P)/mean(λ) = 0.04; ten runs average it down
        assertEquals(trace, slq.traceEstimate(), 0.03 * trace);
    }

    @Test
    void isReproducibleFromTheSeed() {
        DiagonalOperator op = twoClusters(100);
        StochasticLanczosQuadrature slq = new StochasticLanczosQuadrature(2, 10, Probe.RADEMACHER);
        assertArrayEquals(slq.estimate(op, new Rng(9)).nodes()[1], slq.estimate(op, new Rng(9)).nodes()[1]);
    }

    @Test
    void rejectsBadSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StochasticLanczosQuadrature(0, 10, Probe.RADEMACHER));
        assertTrue(e.getMessage().contains("got 0 and 10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StochasticLanczosQuadrature(3, 0, Probe.RADEMACHER));
    }
}
