package dev.descent.analysis.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.optim.schedule.LrSchedule;
import org.junit.jupiter.api.Test;

/** {@link WarmupSchedule} against Xiong et al.'s eq. (1) and fairseq's inverse square root, written out by hand. */
class WarmupScheduleTest {
    private static final double PEAK = 0.01;

    /** The rate of update u (1-based), as the paper and fairseq write it. */
    private static double expected(int u, int warmup, boolean inverseSqrt) {
        if (u <= warmup) {
            return (double) u / warmup * PEAK;
        }
        return inverseSqrt ? PEAK * Math.sqrt(Math.max(warmup, 1)) / Math.sqrt(u) : PEAK;
    }

    @Test
    void linearWarmupThenConstant() {
        LrSchedule s = WarmupSchedule.of(4, LrDecay.CONSTANT);
        double[] byHand = {0.0025, 0.005, 0.0075, 0.01, 0.01, 0.01};
        for (int t = 0; t < byHand.length; t++) {
            assertEquals(byHand[t], s.lr(t, PEAK), 1e-15, "update " + (t + 1));
        }
    }

    @Test
    void linearWarmupThenInverseSquareRoot() {
        LrSchedule s = WarmupSchedule.of(100, LrDecay.INVERSE_SQRT);
        for (int u = 1; u <= 1000; u++) {
            assertEquals(expected(u, 100, true), s.lr(u - 1, PEAK), 1e-15, "update " + u);
        }
        assertEquals(PEAK / 2, s.lr(399, PEAK), 1e-15, "u = 4W halves the rate");
    }

    @Test
    void noWarmupStartsAtThePeak() {
        assertEquals(PEAK, WarmupSchedule.of(0, LrDecay.CONSTANT).lr(0, PEAK));
        assertEquals(PEAK, WarmupSchedule.of(0, LrDecay.CONSTANT).lr(500, PEAK));
        LrSchedule decaying = WarmupSchedule.of(0, LrDecay.INVERSE_SQRT);
        for (int u = 1; u <= 100; u++) {
            assertEquals(expected(u, 0, true), decaying.lr(u - 1, PEAK), 1e-15);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WarmupSchedule.of(-1, LrDecay.CONSTANT));
        assertEquals(true, e.getMessage().contains("-1"), e.getMessage());
        assertEquals(LrDecay.INVERSE_SQRT, LrDecay.parse("Inverse_Sqrt"));
        assertThrows(IllegalArgumentException.class, () -> LrDecay.parse("cosine"));
    }
}
