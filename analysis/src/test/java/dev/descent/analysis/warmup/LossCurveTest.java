package dev.descent.analysis.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.nn.NormPosition;
import org.junit.jupiter.api.Test;

/** The per-run statistics, the divergence rule and cell names, against values worked out by hand. */
class LossCurveTest {
    private static LossCurve curve(double... loss) {
        return new LossCurve(new double[loss.length], loss);
    }

    @Test
    void finalLossIsTheMeanOfTheLastWindow() {
        LossCurve c = curve(4, 3, 2, 1, 5, 9);
        assertEquals((1 + 5 + 9) / 3.0, c.finalLoss(3), 1e-15);
        assertEquals(24 / 6.0, c.finalLoss(10), 1e-15, "fewer steps than the window: all of them");
    }

    @Test
    void stepsToTargetNeedsAWholeWindowAtOrBelowTheTarget() {
        // window means of 2: (4+3)/2=3.5, 2.5, 1.5, 3, 2.5 after 2, 3, 4, 5, 6 updates
        LossCurve c = curve(4, 3, 2, 1, 5, 0);
        assertEquals(4L, c.stepsToTarget(1.5, 2));
        assertEquals(3L, c.stepsToTarget(2.5, 2));
        assertEquals(2L, c.stepsToTarget(3.5, 2));
        assertNull(c.stepsToTarget(1.0, 2), "a single loss of 0 is not a window");
        assertEquals(6L, c.stepsToTarget(0.0, 1));
    }

    @Test
    void smoothingIsATrailingMean() {
        double[] s = curve(4, 2, 6, 0).smoothedLoss(2);
        assertEquals(4.0, s[0]);
        assertEquals(3.0, s[1]);
        assertEquals(4.0, s[2]);
        assertEquals(3.0, s[3]);
    }

    @Test
    void divergenceIsNonFiniteOrAboveAMultipleOfTheUniformLoss() {
        DivergenceRule rule = new DivergenceRule(2.0);
        double threshold = 2 * Math.log(65);
        assertEquals(threshold, rule.threshold(65), 1e-15);
        assertFalse(rule.diverged(threshold, 65));
        assertTrue(rule.diverged(Math.nextUp(threshold), 65));
        assertTrue(rule.diverged(Double.NaN, 65));
        assertTrue(rule.diverged(Double.POSITIVE_INFINITY, 65));
        assertFalse(rule.diverged(0.0, 65));
        assertThrows(IllegalArgumentException.class, () -> new DivergenceRule(1.0));
        assertThrows(IllegalArgumentException.class, () -> new DivergenceRule(Double.NaN));
    }

    @Test
    void cellIdsWriteTheLearningRateExactly() {
        assertEquals("post-adam-lr1e-2-w100-s1", new WarmupCell(NormPosition.POST, "Adam", 0.01, 100, 1).id());
        assertEquals("pre-radam-lr1.5e-3-w0-s7", new WarmupCell(NormPosition.PRE, "RAdam", 0.0015, 0, 7).id());
        assertEquals("3.0001e-3", WarmupCell.compact(0.0030001));
        assertEquals("2.5e1", WarmupCell.compact(25));
        assertThrows(IllegalArgumentException.class, () -> new WarmupCell(NormPosition.PRE, "Adam", 0, 0, 1));
    }
}
