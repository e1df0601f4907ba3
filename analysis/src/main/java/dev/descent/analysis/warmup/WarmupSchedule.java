package dev.descent.analysis.warmup;

import dev.descent.optim.schedule.LrSchedule;
import dev.descent.optim.schedule.Schedules;

/**
 * The learning rate of a warmup-study run as an {@link LrSchedule} of the optimizer's base (peak) rate, in terms
 * of the update number {@code u = t + 1} (the scheduler's counter {@code t} is 0 at the first update):
 *
 * <pre>
 * lr(u) = u / W · peak                   for u &lt;= W      (Xiong et al., eq. (1))
 *       = peak                           for u &gt; W, CONSTANT
 *       = peak · sqrt(max(W, 1) / u)     for u &gt; W, INVERSE_SQRT
 * </pre>
 *
 * <p>The first update therefore runs at {@code peak / W}, not at 0 as with Hugging Face's warmups, so that no
 * update is wasted; {@code W = 0} means no warmup: the first update already runs at the peak.
 */
public final class WarmupSchedule {
    private WarmupSchedule() {
    }

    /** The schedule of {@code warmupSteps} linear warmup updates followed by {@code decay}. */
    public static LrSchedule of(long warmupSteps, LrDecay decay) {
        if (warmupSteps < 0 || decay == null) {
            throw new IllegalArgumentException("WarmupSchedule.of: need warmupSteps >= 0 and a decay, got "
                    + warmupSteps + ", " + decay);
        }
        double scale = Math.max(warmupSteps, 1);
        return Schedules.multiplier(t -> {
            double u = t + 1.0;
            if (u <= warmupSteps) {
                return u / warmupSteps;
            }
            return decay == LrDecay.CONSTANT ? 1.0 : Math.sqrt(scale / u);
        });
    }
}
