package dev.descent.analysis.warmup;

import dev.descent.nn.NormPosition;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * One cell of a warmup-study grid: one training run.
 *
 * @param norm      Pre-LN or Post-LN blocks
 * @param optimizer the optimizer's registry name ({@link dev.descent.optim.Optimizers})
 * @param peakLr    the learning rate the warmup ends at
 * @param warmup    warmup updates (0: none)
 * @param seed      seeds the initial weights and the data of the run
 */
public record WarmupCell(NormPosition norm, String optimizer, double peakLr, long warmup, long seed) {
    /** Checks the values. */
    public WarmupCell {
        if (norm == null || optimizer == null || optimizer.isBlank()) {
            throw new IllegalArgumentException("WarmupCell: need a norm position and an optimizer, got " + norm + ", "
                    + optimizer);
        }
        if (!(peakLr > 0) || Double.isInfinite(peakLr) || warmup < 0) {
            throw new IllegalArgumentException("WarmupCell: need a finite peak lr > 0 and warmup >= 0, got " + peakLr
                    + ", " + warmup);
        }
    }

    /** {@code pre} or {@code post}. */
    public String normLabel() {
        return norm == NormPosition.PRE ? "pre" : "post";
    }

    /**
     * The cell's folder name, unique within a study and readable: {@code post-adam-lr1e-2-w100-s1}. Peak learning
     * rates are written exactly ({@link #compact}), so two different rates never share a folder.
     */
    public String id() {
        return normLabel() + "-" + optimizer.toLowerCase(Locale.ROOT) + "-lr" + compact(peakLr) + "-w" + warmup
                + "-s" + seed;
    }

    /** {@code value} in the shortest exact scientific form: 0.01 → {@code 1e-2}, 0.0015 → {@code 1.5e-3}. */
    public static String compact(double value) {
        BigDecimal b = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        String digits = b.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - b.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (value < 0 ? "-" : "") + mantissa + "e" + exponent;
    }
}
