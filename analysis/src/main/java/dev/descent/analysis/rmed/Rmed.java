package dev.descent.analysis.rmed;

import java.util.Arrays;

/**
 * The R_med statistic of Jiang, Malik and Li (NeurIPS 2023) for one layer: the largest entry of the Hessian's
 * diagonal over that layer's coordinates divided by the median entry, {@code max_i H_ii / median_i H_ii}, an
 * analogue of the condition number that needs only the diagonal. The median of an even count is the mean of
 * the two middle entries (NumPy's). Entries are taken with their signs; the fraction of negative ones is kept
 * beside the ratio, since far from a minimum the diagonal has negative entries and the ratio then says less.
 *
 * @param value {@code max / median}, or NaN when the median is not positive (the ratio is then undefined: a
 *     zero median makes it infinite, a negative one flips its meaning)
 * @param max the largest diagonal entry
 * @param median the median diagonal entry
 * @param negativeFraction the fraction of entries below zero
 * @param size the number of entries
 */
public record Rmed(double value, double max, double median, double negativeFraction, int size) {
    /**
     * R_med of {@code diagonal}, which is not modified.
     *
     * @throws IllegalArgumentException if {@code diagonal} is empty or holds a non-finite entry
     */
    public static Rmed of(double[] diagonal) {
        if (diagonal.length == 0) {
            throw new IllegalArgumentException("Rmed.of: the diagonal is empty");
        }
        double[] sorted = diagonal.clone();
        int negative = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (!Double.isFinite(sorted[i])) {
                throw new IllegalArgumentException("Rmed.of: diagonal entry " + i + " is " + sorted[i]);
            }
            if (sorted[i] < 0) {
                negative++;
            }
        }
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        double max = sorted[n - 1];
        double value = median > 0 ? max / median : Double.NaN;
        return new Rmed(value, max, median, negative / (double) n, n);
    }

    /** Whether the ratio is defined (the median is positive). */
    public boolean defined() {
        return !Double.isNaN(value);
    }
}
