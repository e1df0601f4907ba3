package dev.descent.analysis.radam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Monte Carlo against spec/analysis.md §4's table, the first-order approximation and a delta-method limit. */
class VarianceSimulationTest {
    @Test
    void reproducesTheSpecTableAndTheApproximationAtMuZero() {
        VarianceCurves.Curve c = VarianceSimulation.run(0.999, 1, List.of(0.0), 20_000, 1000, 11).curve(0);
        // §4's table (20 000 trials): 5.1e-3 at t = 100, 5.4e-4 at t = 1000, given to two digits; allow our
        // Monte Carlo error (4 standard errors), theirs (about the same) and the rounding
        assertClose(5.1e-3, c, 100, 0.05e-3);
        assertClose(5.4e-4, c, 1000, 0.05e-4);
        for (int t : new int[] {50, 100, 200, 500, 1000}) {
            double approx = RectificationTerms.approximateVariance(RectificationTerms.rho(0.999, t), 1);
            double rel = Math.abs(c.varianceAt(t) - approx) / approx;
            assertTrue(rel < 0.15, "t " + t + ": Monte Carlo " + c.varianceAt(t) + " vs approximation " + approx);
        }
        // the raw variance falls by an order of magnitude between t = 10 and t = 1000 (README Figure 1)
        assertTrue(c.varianceAt(10) > 10 * c.varianceAt(1000), c.varianceAt(10) + " vs " + c.varianceAt(1000));
    }

    private static void assertClose(double expected, VarianceCurves.Curve c, int t, double rounding) {
        double tolerance = 4 * Math.sqrt(2) * c.varianceStdErrAt(t) + rounding;
        assertEquals(expected, c.varianceAt(t), tolerance, "Var[psi_" + t + "] (stderr " + c.varianceStdErrAt(t) + ")");
    }

    @Test
    void rectificationFlattensTheVariance() {
        VarianceCurves c = VarianceSimulation.run(0.999, 1, List.of(0.0), 3000, 5000, 5);
        double early = c.curve(0).rectifiedVarianceAt(10);
        double late = c.curve(0).rectifiedVarianceAt(5000);
        assertTrue(early / late < 1.5 && late / early < 1.5, "Var[r psi] at 10: " + early + ", at 5000: " + late);
        // the level is the approximation's flat value ρ∞/(2(ρ∞−2)(ρ∞−4)) = 2.5e-4 (§4 measured 2.3e-4 to 2.4e-4)
        assertEquals(2.5e-4, late, 0.3e-4);
        assertEquals(5, c.firstRectifiedStep());
        assertTrue(Double.isNaN(c.curve(0).rectifiedVarianceAt(4)));
        // the raw variance has come down to the rectified level by t = 5000 (r_5000 = 0.983)
        assertEquals(late, c.curve(0).varianceAt(5000), 0.05 * late);
    }

    /**
     * For |μ| ≫ σ the delta method is accurate: v̂ = Σ w_i g_i² with weights w_i = (1−β2)β2^{t−i}/(1−β2^t), so
     * Var[v̂] = (4μ²σ² + 2σ⁴) Σ w_i², and ψ = v̂^{-1/2} gives Var[ψ] ≈ Var[v̂] / (4 μ⁶).
     */
    @Test
    void largeMeanFollowsTheDeltaMethod() {
        double beta2 = 0.99;
        double mu = 10;
        VarianceCurves c = VarianceSimulation.run(beta2, 1, List.of(0.001, mu), 4000, 300, 3);
        for (int t : new int[] {1, 20, 300}) {
            double sumW2 = 0;
            for (int i = 1; i <= t; i++) {
                double w = (1 - beta2) * Math.pow(beta2, t - i) / (1 - Math.pow(beta2, t));
                sumW2 += w * w;
            }
            double varV = (4 * mu * mu + 2) * sumW2;
            double expected = varV / (4 * Math.pow(mu, 6));
            assertEquals(expected, c.curve(mu).varianceAt(t), 0.1 * expected, "t " + t);
            // second order: E[ψ] ≈ μ⁻¹ − ½μ⁻³ (E v̂ − μ²) + ⅜ μ⁻⁵ E[(v̂ − μ²)²], with E v̂ = μ² + 1
            double mean = 1 / mu - 0.5 / Math.pow(mu, 3) + 0.375 * (varV + 1) / Math.pow(mu, 5);
            double stdErr = Math.sqrt(c.curve(mu).varianceAt(t) / c.trials());
            assertEquals(mean, c.curve(mu).mean()[t - 1], 4 * stdErr, "mean psi at t " + t);
        }
        assertTrue(c.curve(0.001).varianceAt(300) > 1e3 * c.curve(mu).varianceAt(300));
    }

    @Test
    void isReproducibleAndCurvesDoNotDependOnTheOtherMus() {
        VarianceCurves a = VarianceSimulation.run(0.9, 1, List.of(0.1), 50, 40, 7);
        VarianceCurves b = VarianceSimulation.run(0.9, 1, List.of(1.0, 0.1), 50, 40, 7);
        assertArrayEquals(a.curve(0.1).variance(), b.curve(0.1).variance(), 0.0);
        VarianceCurves other = VarianceSimulation.run(0.9, 1, List.of(0.1), 50, 40, 8);
        assertTrue(other.curve(0.1).varianceAt(40) != a.curve(0.1).varianceAt(40));
    }

    @Test
    void badInputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VarianceSimulation.run(0.999, 1, List.of(0.0), 1, 10, 0));
        assertTrue(e.getMessage().contains("trials 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VarianceSimulation.run(0.999, 1, List.of(), 10, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> VarianceSimulation.run(1.5, 1, List.of(0.0), 10, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> VarianceSimulation.run(0.9, -1, List.of(0.0), 10, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> VarianceSimulation.run(0.9, 1, List.of(0.0), 10, 10, 0)
                .curve(3.0));
    }
}
