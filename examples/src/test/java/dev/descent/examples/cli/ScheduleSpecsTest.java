package dev.descent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.optim.schedule.LrSchedule;
import org.junit.jupiter.api.Test;

/** The --schedule specs: each parsed schedule gives its closed form's learning rates. */
class ScheduleSpecsTest {
    private static void check(String spec, long total, double[] expected) {
        LrSchedule s = ScheduleSpecs.parseSchedule(spec, total);
        for (int t = 0; t < expected.length; t++) {
            assertEquals(expected[t], s.lr(t, 2.0), 1e-12, spec + " at step " + t);
        }
    }

    @Test
    void multiStepDecaysAtEachMilestone() {
        check("multistep:3,5,0.1", 10, new double[] {2, 2, 2, 0.2, 0.2, 0.02, 0.02});
    }

    @Test
    void fairseqInverseSqrtRampsThenDecays() {
        // from 0 to the base over W = 4 updates, then base·sqrt(W)/sqrt(t)
        check("inverse-sqrt:4", 10, new double[] {0, 0.5, 1, 1.5, 2, 2 * 2 / Math.sqrt(5), 2 * 2 / Math.sqrt(6)});
    }

    @Test
    void theTransformerScheduleIsVaswanis() {
        double[] expected = new double[8];
        for (int t = 0; t < expected.length; t++) {
            double u = t + 1;
            expected[t] = 2 * Math.pow(16, -0.5) * Math.min(Math.pow(u, -0.5), u * Math.pow(4, -1.5));
        }
        check("transformer:16,4", 10, expected);
    }

    @Test
    void untunedLinearWarmupLastsTwoOverOneMinusBeta2() {
        // min(1, u (1 − β2) / 2) with u = t + 1: over 2/(1 − 0.5) = 4 updates for β2 = 0.5
        check("untuned-linear:0.5", 10, new double[] {0.5, 1, 1.5, 2, 2, 2});
    }

    @Test
    void polynomialAndRestartsFollowTheirFormulas() {
        // torch PolynomialLR: (1 − t/T)^p for t < T
        check("polynomial:2", 4, new double[] {2, 2 * 0.5625, 2 * 0.25, 2 * 0.0625, 0});
        // cosine with warm restarts every 4 steps: η_min + (base − η_min)(1 + cos(π t_cur / 4))/2
        double[] restarts = new double[9];
        for (int t = 0; t < restarts.length; t++) {
            restarts[t] = 2 * (1 + Math.cos(Math.PI * (t % 4) / 4)) / 2;
        }
        check("cosine-restarts:4", 20, restarts);
    }

    @Test
    void unknownNamesListTheKnownOnesAndArgumentCountsAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScheduleSpecs.parseSchedule("noam", 10));
        assertTrue(e.getMessage().contains("transformer") && e.getMessage().contains("untuned-exponential"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ScheduleSpecs.parseSchedule("transformer:16", 10));
        assertTrue(e.getMessage().contains("takes 2 argument(s)"), e.getMessage());
    }
}
