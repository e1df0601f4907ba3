package dev.descent.analysis.spectrum;

/** Mean and standard error of a stream of samples, by Welford's update (stable for samples of one sign). */
final class RunningMean {
    private int count;
    private double mean;
    private double sumOfSquares;

    void add(double x) {
        count++;
        double delta = x - mean;
        mean += delta / count;
        sumOfSquares += delta * (x - mean);
    }

    int count() {
        return count;
    }

    double mean() {
        return mean;
    }

    /** {@code s / sqrt(n)} with the unbiased sample deviation s; NaN for fewer than two samples. */
    double standardError() {
        if (count < 2) {
            return Double.NaN;
        }
        return Math.sqrt(sumOfSquares / (count - 1) / count);
    }
}
