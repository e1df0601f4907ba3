package dev.descent.analysis.curvature;

/** The few operations on flat float64 vectors that the operators need. */
final class Flat {
    private Flat() {
    }

    /** {@code sum += a x}. */
    static void addScaled(double[] sum, double a, double[] x) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += a * x[i];
        }
    }

    /** {@code x *= a}. */
    static void scale(double[] x, double a) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= a;
        }
    }

    /** The Euclidean norm, scaled against overflow. */
    static double norm(double[] x) {
        double max = 0;
        for (double v : x) {
            max = Math.max(max, Math.abs(v));
        }
        if (max == 0 || !Double.isFinite(max)) {
            return max;
        }
        double s = 0;
        for (double v : x) {
            double r = v / max;
            s += r * r;
        }
        return max * Math.sqrt(s);
    }
}
