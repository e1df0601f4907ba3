package dev.descent.analysis.batchhessian;

/**
 * The top Hessian eigenvalues of the random batches of one size. Arrays are shared, not copied.
 *
 * @param batchSize B, the examples in each batch
 * @param values the largest Ritz value of each batch's Hessian, in draw order
 * @param residuals the Ritz residual of each value
 */
public record BatchTop(int batchSize, double[] values, double[] residuals) {
    /** The mean of the values. */
    public double mean() {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }

    /** The sample standard deviation of the values (divisor {@code n − 1}; 0 for a single value). */
    public double standardDeviation() {
        if (values.length < 2) {
            return 0;
        }
        double mean = mean();
        double s = 0;
        for (double v : values) {
            s += (v - mean) * (v - mean);
        }
        return Math.sqrt(s / (values.length - 1));
    }
}
