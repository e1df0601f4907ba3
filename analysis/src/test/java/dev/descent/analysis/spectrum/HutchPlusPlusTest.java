package dev.descent.analysis.spectrum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.analysis.curvature.DenseOperator;
import dev.descent.tensor.Rng;
import org.junit.jupiter.api.Test;

class HutchPlusPlusTest {
    /** Q diag(λ) Qᵀ with λ = 100, 90, ..., 10 on ten directions and small noise eigenvalues elsewhere. */
    private static double[][] lowRankPlusNoise(int n, Rng rng) {
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = i < 10 ? 100 - 10 * i : 0.5 * rng.nextGaussian();
        }
        return TestMatrices.withSpectrum(TestMatrices.randomOrthogonal(n, rng), lambda);
    }

    @Test
    void beatsHutchinsonAtEqualBudgetOnALowRankPlusNoiseMatrix() {
        double[][] a = lowRankPlusNoise(150, new Rng(1));
        DenseOperator op = DenseOperator.of(a);
        double trace = TestMatrices.trace(a);
        int budget = 45;
        double hutchError = 0;
        double plusError = 0;
        int seeds = 20;
        for (int seed = 0; seed < seeds; seed++) {
            TraceEstimate h = new Hutchinson(Probe.RADEMACHER, 0, budget, budget).estimate(op, new Rng(seed));
            HutchPlusPlusEstimate p = new HutchPlusPlus(budget, Probe.RADEMACHER).estimate(op, new Rng(seed));
            assertEquals(budget, p.matvecs());
            assertEquals(15, p.sketchRank());
            assertEquals(15, p.residualSamples().length);
            hutchError += Math.abs(h.estimate() - trace) / seeds;
            plusError += Math.abs(p.estimate() - trace) / seeds;
        }
        assertTrue(plusError < 0.2 * hutchError, "mean |error|: Hutch++ " + plusError + ", Hutchinson " + hutchError);
    }

    @Test
    void isExactWhenTheSketchCoversALowRankRange() {
        Rng rng = new Rng(2);
        int n = 60;
        double[] lambda = new double[n];
        lambda[0] = 4;
        lambda[1] = -2;
        lambda[2] = 9;
        double[][] a = TestMatrices.withSpectrum(TestMatrices.randomOrthogonal(n, rng), lambda);
        HutchPlusPlusEstimate p = new HutchPlusPlus(12, Probe.GAUSSIAN).estimate(DenseOperator.of(a), new Rng(3));
        assertEquals(3, p.sketchRank(), "four sketch columns of a rank-3 matrix span only three directions");
        assertEquals(11, p.lowRankTrace(), 1e-10);
        assertEquals(0, p.residualTrace(), 1e-10);
        assertEquals(12 - 4 - 3, p.residualSamples().length, "the saved projection goes to the residual part");
        assertEquals(11, p.estimate(), 1e-10);
    }

    @Test
    void rejectsATooSmallBudget() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HutchPlusPlus(3, Probe.RADEMACHER));
        assertTrue(e.getMessage().contains("at least 4 matvecs, got 3"), e.getMessage());
    }
}
