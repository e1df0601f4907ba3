package dev.descent.tensor.cpu;

import dev.descent.tensor.ReduceOp;

/**
 * Reduces one strided run of elements to one output element. Float sums accumulate blocks of 1024 in
 * eight independent float lanes (fast, and the lanes keep rounding error small) and add the block sums
 * in double, so a sum of 10^7 floats stays accurate to a few float ulps. MAX, MIN and the arg-reductions
 * propagate NaN; ties go to the first position.
 */
final class Runs {
    private static final int SUM_BLOCK = 1024;

    private Runs() {
    }

    static void reduceInto(ReduceOp op, Object x, int off, int stride, int n, Object out, int o) {
        if (x instanceof float[] a) {
            float[] r = (float[]) (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN ? null : out);
            switch (op) {
                case SUM -> r[o] = (float) sum(a, off, stride, n);
                case PROD -> r[o] = (float) prod(a, off, stride, n);
                case MAX -> r[o] = (float) extreme(a, off, stride, n, true);
                case MIN -> r[o] = (float) extreme(a, off, stride, n, false);
                case ARGMAX -> ((long[]) out)[o] = argExtreme(a, off, stride, n, true);
                case ARGMIN -> ((long[]) out)[o] = argExtreme(a, off, stride, n, false);
            }
        } else if (x instanceof double[] a) {
            double[] r = (double[]) (op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN ? null : out);
            switch (op) {
                case SUM -> r[o] = sum(a, off, stride, n);
                case PROD -> r[o] = prod(a, off, stride, n);
                case MAX -> r[o] = extreme(a, off, stride, n, true);
                case MIN -> r[o] = extreme(a, off, stride, n, false);
                case ARGMAX -> ((long[]) out)[o] = argExtreme(a, off, stride, n, true);
                case ARGMIN -> ((long[]) out)[o] = argExtreme(a, off, stride, n, false);
            }
        } else {
            long[] a = (long[]) x;
            long[] r = (long[]) out;
            r[o] = switch (op) {
                case SUM -> longSum(a, off, stride, n);
                case PROD -> longProd(a, off, stride, n);
                case MAX -> longExtreme(a, off, stride, n, true);
                case MIN -> longExtreme(a, off, stride, n, false);
                case ARGMAX -> longArgExtreme(a, off, stride, n, true);
                case ARGMIN -> longArgExtreme(a, off, stride, n, false);
            };
        }
    }

    static double sum(float[] a, int off, int stride, int n) {
        if (stride != 1) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += a[off + i * stride];
            }
            return s;
        }
        double total = 0;
        for (int b = 0; b < n; b += SUM_BLOCK) {
            int end = off + Math.min(n, b + SUM_BLOCK);
            int i = off + b;
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            for (; i + 8 <= end; i += 8) {
                s0 += a[i];
                s1 += a[i + 1];
                s2 += a[i + 2];
                s3 += a[i + 3];
                s4 += a[i + 4];
                s5 += a[i + 5];
                s6 += a[i + 6];
                s7 += a[i + 7];
            }
            double block = ((double) s0 + s1) + ((double) s2 + s3) + ((double) s4 + s5) + ((double) s6 + s7);
            for (; i < end; i++) {
                block += a[i];
            }
            total += block;
        }
        return total;
    }

    static double sum(double[] a, int off, int stride, int n) {
        if (stride != 1) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += a[off + i * stride];
            }
            return s;
        }
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = off;
        int end = off + n;
        for (; i + 4 <= end; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        double s = (s0 + s1) + (s2 + s3);
        for (; i < end; i++) {
            s += a[i];
        }
        return s;
    }

    private static double prod(float[] a, int off, int stride, int n) {
        double p = 1;
        for (int i = 0; i < n; i++) {
            p *= a[off + i * stride];
        }
        return p;
    }

    private static double prod(double[] a, int off, int stride, int n) {
        double p = 1;
        for (int i = 0; i < n; i++) {
            p *= a[off + i * stride];
        }
        return p;
    }

    private static double extreme(float[] a, int off, int stride, int n, boolean max) {
        float m = a[off];
        for (int i = 1; i < n; i++) {
            float v = a[off + i * stride];
            m = max ? Math.max(m, v) : Math.min(m, v);
        }
        return m;
    }

    private static double extreme(double[] a, int off, int stride, int n, boolean max) {
        double m = a[off];
        for (int i = 1; i < n; i++) {
            double v = a[off + i * stride];
            m = max ? Math.max(m, v) : Math.min(m, v);
        }
        return m;
    }

    /** The first position of the extreme; the first NaN wins, as in PyTorch. */
    private static long argExtreme(float[] a, int off, int stride, int n, boolean max) {
        int best = 0;
        float bv = a[off];
        for (int i = 1; i < n && bv == bv; i++) {
            float v = a[off + i * stride];
            if (v != v || (max ? v > bv : v < bv)) {
                best = i;
                bv = v;
            }
        }
        return best;
    }

    private static long argExtreme(double[] a, int off, int stride, int n, boolean max) {
        int best = 0;
        double bv = a[off];
        for (int i = 1; i < n && bv == bv; i++) {
            double v = a[off + i * stride];
            if (v != v || (max ? v > bv : v < bv)) {
                best = i;
                bv = v;
            }
        }
        return best;
    }

    private static long longSum(long[] a, int off, int stride, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += a[off + i * stride];
        }
        return s;
    }

    private static long longProd(long[] a, int off, int stride, int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= a[off + i * stride];
        }
        return p;
    }

    private static long longExtreme(long[] a, int off, int stride, int n, boolean max) {
        long m = a[off];
        for (int i = 1; i < n; i++) {
            long v = a[off + i * stride];
            m = max ? Math.max(m, v) : Math.min(m, v);
        }
        return m;
    }

    private static long longArgExtreme(long[] a, int off, int stride, int n, boolean max) {
        int best = 0;
        long bv = a[off];
        for (int i = 1; i < n; i++) {
            long v = a[off + i * stride];
            if (max ? v > bv : v < bv) {
                best = i;
                bv = v;
            }
        }
        return best;
    }
}
