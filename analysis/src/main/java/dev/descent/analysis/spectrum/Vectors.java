package dev.descent.analysis.spectrum;

/**
 * The few dense float64 vector kernels the solvers need, written as plain indexed loops so that HotSpot
 * unrolls and vectorises them. Dot products keep four partial sums: a single accumulator serialises every
 * addition on its latency, and the basis loops of Lanczos spend most of their time here.
 */
final class Vectors {
    private Vectors() {
    }

    static double dot(double[] a, double[] b) {
        return dot(a, b, 0, a.length);
    }

    /** {@code Σ a[i] b[i]} over {@code from <= i < to}. */
    static double dot(double[] a, double[] b, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = from;
        for (; i <= to - 4; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < to; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code y += a * x}. */
    static void axpy(double a, double[] x, double[] y) {
        axpy(a, x, y, 0, y.length);
    }

    /** {@code y[i] += a * x[i]} for {@code from <= i < to}. */
    static void axpy(double a, double[] x, double[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            y[i] += a * x[i];
        }
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    static void scale(double a, double[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= a;
        }
    }

    /**
     * Removes from {@code w} its components along the first {@code count} vectors of the orthonormal
     * {@code basis}, by two passes of classical Gram–Schmidt ("twice is enough": after the second pass
     * {@code w} is orthogonal to the basis to working precision, Giraud et al. 2005).
     *
     * <p>Classical rather than modified Gram–Schmidt so that each pass is two sweeps over the basis (all
     * dot products, then all updates); the basis is much larger than the caches, so its sweeps bound the
     * cost. The first pass's updates and the second pass's dot products run together, chunk by chunk of
     * {@code w}: a chunk's slices of the basis are still in cache for the dot products after the updates.
     * That makes three sweeps instead of four, with the same result as two separate passes up to the
     * order of summation.
     */
    static void orthogonalise(double[] w, double[][] basis, int count) {
        if (count == 0) {
            return;
        }
        double[] first = new double[count];
        double[] second = new double[count];
        addDots(basis, count, w, 0, w.length, first);
        // slices of all count vectors should stay within about 1 MiB, well inside a core's L2 cache
        int chunk = Math.max(256, Math.min(8192, (1 << 17) / count));
        for (int from = 0; from < w.length; from += chunk) {
            int to = Math.min(w.length, from + chunk);
            subtractCombination(basis, count, first, w, from, to);
            addDots(basis, count, w, from, to, second);
        }
        subtractCombination(basis, count, second, w, 0, w.length);
    }

    /**
     * {@code out[i] += basis[i] · w} over {@code from..to−1}, for {@code i < count}. Four basis vectors share
     * each load of {@code w}, and each has two partial sums, so that eight independent additions are in
     * flight: measured 1.4 times faster than one vector at a time.
     */
    static void addDots(double[][] basis, int count, double[] w, int from, int to, double[] out) {
        int i = 0;
        for (; i + 4 <= count; i += 4) {
            double[] a = basis[i];
            double[] b = basis[i + 1];
            double[] c = basis[i + 2];
            double[] d = basis[i + 3];
            double a0 = 0, a1 = 0, b0 = 0, b1 = 0, c0 = 0, c1 = 0, d0 = 0, d1 = 0;
            int j = from;
            for (; j + 2 <= to; j += 2) {
                double x = w[j];
                double y = w[j + 1];
                a0 += a[j] * x;
                b0 += b[j] * x;
                c0 += c[j] * x;
                d0 += d[j] * x;
                a1 += a[j + 1] * y;
                b1 += b[j + 1] * y;
                c1 += c[j + 1] * y;
                d1 += d[j + 1] * y;
            }
            if (j < to) {
                a0 += a[j] * w[j];
                b0 += b[j] * w[j];
                c0 += c[j] * w[j];
                d0 += d[j] * w[j];
            }
            out[i] += a0 + a1;
            out[i + 1] += b0 + b1;
            out[i + 2] += c0 + c1;
            out[i + 3] += d0 + d1;
        }
        for (; i < count; i++) {
            out[i] += dot(basis[i], w, from, to);
        }
    }

    /** {@code w −= Σ_i coefficients[i] basis[i]} over {@code from..to−1}, four vectors per pass over {@code w}. */
    static void subtractCombination(double[][] basis, int count, double[] coefficients, double[] w, int from, int to) {
        int i = 0;
        for (; i + 4 <= count; i += 4) {
            double[] a = basis[i];
            double[] b = basis[i + 1];
            double[] c = basis[i + 2];
            double[] d = basis[i + 3];
            double ka = coefficients[i];
            double kb = coefficients[i + 1];
            double kc = coefficients[i + 2];
            double kd = coefficients[i + 3];
            for (int j = from; j < to; j++) {
                w[j] -= ka * a[j] + kb * b[j] + kc * c[j] + kd * d[j];
            }
        }
        for (; i < count; i++) {
            axpy(-coefficients[i], basis[i], w, from, to);
        }
    }

    /** Applies {@code op} and checks that the answer has the right length and only finite values. */
    static double[] apply(dev.descent.analysis.curvature.CurvatureOperator op, double[] v, String operation) {
        double[] w = op.apply(v);
        if (w.length != v.length) {
            throw new IllegalStateException(operation + ": the operator returned " + w.length
                    + " elements for a vector of " + v.length);
        }
        for (double x : w) {
            if (!Double.isFinite(x)) {
                throw new IllegalStateException(operation + ": the operator returned a non-finite value (" + x + ")");
            }
        }
        return w;
    }
}
