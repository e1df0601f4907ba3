package dev.descent.analysis.monitor;

/**
 * A histogram with {@code counts.length} equal bins over {@code [lo, hi]}; the last bin includes {@code hi}.
 *
 * @param lo     the left edge of the first bin
 * @param hi     the right edge of the last bin
 * @param counts the number of values in each bin
 */
public record Histogram(double lo, double hi, long[] counts) {
    /**
     * The histogram of {@code values} over their range in {@code bins} bins; when every value is equal the range is
     * widened to {@code value ± 0.5} so that the bins have a width.
     */
    public static Histogram of(double[] values, int bins) {
        if (bins < 1 || values.length == 0) {
            throw new IllegalArgumentException("Histogram.of: expected bins >= 1 and at least one value, got bins "
                    + bins + ", " + values.length + " values");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("Histogram.of: non-finite value " + v);
            }
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        long[] counts = new long[bins];
        double width = (hi - lo) / bins;
        for (double v : values) {
            counts[Math.min(bins - 1, (int) ((v - lo) / width))]++;
        }
        return new Histogram(lo, hi, counts);
    }

    /** The width of one bin. */
    public double binWidth() {
        return (hi - lo) / counts.length;
    }

    /** The left edge of bin {@code i}. */
    public double binStart(int i) {
        return lo + i * binWidth();
    }

    /** The total count. */
    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }
}
