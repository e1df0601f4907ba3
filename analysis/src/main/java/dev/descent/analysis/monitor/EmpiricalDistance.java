package dev.descent.analysis.monitor;

import java.util.Arrays;

/**
 * Distances between the empirical distributions of two samples (of any sizes), used to compare the loss changes
 * of consecutive windows: the Kolmogorov–Smirnov statistic {@code sup_x |F_a(x) − F_b(x)|} and the 1-Wasserstein
 * distance {@code ∫ |F_a(x) − F_b(x)| dx}, both computed exactly by one merge of the sorted samples.
 */
public final class EmpiricalDistance {
    private EmpiricalDistance() {
    }

    /** The Kolmogorov–Smirnov statistic, in [0, 1]. */
    public static double kolmogorovSmirnov(double[] a, double[] b) {
        return merge("kolmogorovSmirnov", a, b)[0];
    }

    /** The 1-Wasserstein (earth mover's) distance, in the samples' units. */
    public static double wasserstein1(double[] a, double[] b) {
        return merge("wasserstein1", a, b)[1];
    }

    /**
     * Walks the merged sorted samples; between consecutive distinct values both CDFs are constant, so the supremum
     * is taken after all ties at a value have been passed, and the integral is a sum of rectangles.
     */
    private static double[] merge(String operation, double[] a, double[] b) {
        double[] x = sortedFinite(operation, "a", a);
        double[] y = sortedFinite(operation, "b", b);
        int i = 0;
        int j = 0;
        double sup = 0;
        double integral = 0;
        while (i < x.length || j < y.length) {
            double v = j == y.length || (i < x.length && x[i] <= y[j]) ? x[i] : y[j];
            while (i < x.length && x[i] == v) {
                i++;
            }
            while (j < y.length && y[j] == v) {
                j++;
            }
            double gap = Math.abs((double) i / x.length - (double) j / y.length);
            sup = Math.max(sup, gap);
            if (i < x.length || j < y.length) {
                double next = j == y.length || (i < x.length && x[i] <= y[j]) ? x[i] : y[j];
                integral += gap * (next - v);
            }
        }
        return new double[] {sup, integral};
    }

    private static double[] sortedFinite(String operation, String name, double[] sample) {
        if (sample.length == 0) {
            throw new IllegalArgumentException("EmpiricalDistance." + operation + ": sample " + name + " is empty");
        }
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        if (!Double.isFinite(sorted[0]) || !Double.isFinite(sorted[sorted.length - 1])) {
            throw new IllegalArgumentException("EmpiricalDistance." + operation + ": sample " + name
                    + " holds a non-finite value (" + (Double.isFinite(sorted[0]) ? sorted[sorted.length - 1]
                    : sorted[0]) + ")");
        }
        return sorted;
    }
}
