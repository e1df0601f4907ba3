package dev.descent.tensor.cpu;

/**
 * Softmax and log-softmax over the rows of contiguous FLOAT32 data, forward and backward, and the causal
 * softmax of attention scores. The formulas are those of the composed operations they replace:
 * {@code exp(x - max) / sum}, {@code x - (s + log(sum exp(x - s)))} with s the row's maximum (0 when that is
 * infinite), {@code y (g - sum(g y))} and {@code g - exp(y) sum(g)}; sums run in double. Exponentials are
 * {@link FloatExp}'s (within 1 ulp of the correctly rounded ones), taken over a block of rows at once
 * (gathered into a buffer of {@link #BLOCK} elements that stays in L1) so that its vector loops run on more
 * than one short row; the other passes go one row at a time. Offsets are those of the first input, the
 * second input and the output.
 */
final class FloatSoftmaxRows {
    private FloatSoftmaxRows() {
    }

    /** Elements gathered for one call of {@link FloatExp#expInPlace}: enough for its vector loops, within L1. */
    private static final int BLOCK = 2048;

    /** Partial sums of {@link #sum} and {@link #dot}. */
    static final int SUMS = 16;

    static void forward(float[] x, float[] out, int[] offsets, int cols, boolean log, int r0, int r1) {
        float[] buf = new float[Math.max(BLOCK, cols)];
        float[] t = new float[buf.length];
        int perBlock = buf.length / Math.max(cols, 1);
        float[] shifts = new float[perBlock];
        // every loop below indexes its arrays with one expression (a block copied to index 0, or a row of
        // out at ob + j alone): HotSpot 17 vectorises a loop only then
        for (int b0 = r0; b0 < r1; b0 += perBlock) {
            int b1 = Math.min(r1, b0 + perBlock);
            int rows = b1 - b0;
            System.arraycopy(x, offsets[0] + b0 * cols, buf, 0, rows * cols);
            for (int q = 0; q < rows; q++) {
                int p = q * cols;
                float max = max(buf, p, cols);
                float shift = log && Math.abs(max) == Float.POSITIVE_INFINITY ? 0 : max;
                shifts[q] = shift;
                for (int j = p; j < p + cols; j++) {
                    buf[j] -= shift;
                }
            }
            FloatExp.expInPlace(buf, t, rows * cols);
            int ob0 = offsets[2] + b0 * cols;
            if (log) {
                System.arraycopy(x, offsets[0] + b0 * cols, out, ob0, rows * cols);
            }
            for (int q = 0; q < rows; q++) {
                int p = q * cols;
                if (log) {
                    float lse = (float) ln(sum(buf, p, cols)) + shifts[q];
                    int ob = ob0 + p;
                    for (int j = ob; j < ob + cols; j++) {
                        out[j] -= lse;
                    }
                } else {
                    float s = (float) sum(buf, p, cols);
                    for (int j = p; j < p + cols; j++) {
                        buf[j] /= s;
                    }
                }
            }
            if (!log) {
                System.arraycopy(buf, 0, out, ob0, rows * cols);
            }
        }
    }

    /**
     * The largest of {@code x[from, from + n)}, -inf when n is 0. A NaN is skipped here (a comparison rather
     * than {@code Math.max}, which costs several instructions per element) but still makes the row NaN: its
     * exponential is NaN and so is the sum that divides every element. On long rows the comparison is
     * predictable (the running maximum rarely changes); short rows use {@link #maxOfFew}.
     */
    static float max(float[] x, int from, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            float v = x[from + j];
            max = v > max ? v : max;
        }
        return max;
    }

    /**
     * As {@link #max} (NaN when one is NaN, which makes the row NaN either way), for the short rows of a causal
     * softmax: four independent running maxima without branches. A comparison per element mispredicts a few
     * times per row whatever its length, which on rows of a few dozen elements cost half of the kernel's time,
     * and one chain of {@code Math.max} waits on itself.
     */
    static float maxOfFew(float[] x, int from, int n) {
        float m0 = Float.NEGATIVE_INFINITY;
        float m1 = m0;
        float m2 = m0;
        float m3 = m0;
        int j = from;
        int end = from + n;
        for (; j + 3 < end; j += 4) {
            m0 = Math.max(m0, x[j]);
            m1 = Math.max(m1, x[j + 1]);
            m2 = Math.max(m2, x[j + 2]);
            m3 = Math.max(m3, x[j + 3]);
        }
        for (; j < end; j++) {
            m0 = Math.max(m0, x[j]);
        }
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    /**
     * The sum of {@code x[from, from + n)} in double, in {@value #SUMS} partial sums (element j into sum
     * j mod {@value #SUMS}) to keep the adders busy, combined by {@link #total}; the native kernels
     * (NativeSoftmax) add the same way, as {@value #SUMS} vector lanes. Because the split depends only on j, a
     * row's sum equals that of its first n elements when the rest are zeros: the causal kernels, which sum only
     * the visible part, agree exactly with the full-row kernels on a row whose masked part is 0.
     */
    static double sum(float[] x, int from, int n) {
        double s0 = 0; double s1 = 0; double s2 = 0; double s3 = 0;
        double s4 = 0; double s5 = 0; double s6 = 0; double s7 = 0;
        double s8 = 0; double s9 = 0; double s10 = 0; double s11 = 0;
        double s12 = 0; double s13 = 0; double s14 = 0; double s15 = 0;
        int j = 0;
        for (; j + 15 < n; j += 16) {
            s0 += x[from + j];
            s1 += x[from + j + 1];
            s2 += x[from + j + 2];
            s3 += x[from + j + 3];
            s4 += x[from + j + 4];
            s5 += x[from + j + 5];
            s6 += x[from + j + 6];
            s7 += x[from + j + 7];
            s8 += x[from + j + 8];
            s9 += x[from + j + 9];
            s10 += x[from + j + 10];
            s11 += x[from + j + 11];
            s12 += x[from + j + 12];
            s13 += x[from + j + 13];
            s14 += x[from + j + 14];
            s15 += x[from + j + 15];
        }
        int m = n - j; // the tail: element j + k into sum k
        if (m > 0) { s0 += x[from + j]; }
        if (m > 1) { s1 += x[from + j + 1]; }
        if (m > 2) { s2 += x[from + j + 2]; }
        if (m > 3) { s3 += x[from + j + 3]; }
        if (m > 4) { s4 += x[from + j + 4]; }
        if (m > 5) { s5 += x[from + j + 5]; }
        if (m > 6) { s6 += x[from + j + 6]; }
        if (m > 7) { s7 += x[from + j + 7]; }
        if (m > 8) { s8 += x[from + j + 8]; }
        if (m > 9) { s9 += x[from + j + 9]; }
        if (m > 10) { s10 += x[from + j + 10]; }
        if (m > 11) { s11 += x[from + j + 11]; }
        if (m > 12) { s12 += x[from + j + 12]; }
        if (m > 13) { s13 += x[from + j + 13]; }
        if (m > 14) { s14 += x[from + j + 14]; }
        return total(s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15);
    }

    /** The partial sums combined as a tree: {@code t_k = s_k + s_(k+8)}, then {@code t_k + t_(k+4)}, and so on. */
    private static double total(double s0, double s1, double s2, double s3, double s4, double s5, double s6,
                                double s7, double s8, double s9, double s10, double s11, double s12, double s13,
                                double s14, double s15) {
        return (((s0 + s8) + (s4 + s12)) + ((s2 + s10) + (s6 + s14)))
                + (((s1 + s9) + (s5 + s13)) + ((s3 + s11) + (s7 + s15)));
    }

    /**
     * The natural logarithm, fdlibm's algorithm (under 1 ulp), written out so that the native kernels compute the
     * same bits (Math.log is HotSpot's intrinsic, which C's log need not match). x = 2^k m with m in
     * [sqrt(2)/2, sqrt(2)], {@code log(m) = f - (hfsq - s (hfsq + R(s^2)))} with f = m - 1 and s = f / (2 + f).
     */
    static double ln(double x) {
        if (!(x > 0) || x == Double.POSITIVE_INFINITY) {
            return x == 0 ? Double.NEGATIVE_INFINITY : x > 0 ? x : Double.NaN;
        }
        int k = 0;
        if (x < Double.MIN_NORMAL) {
            x *= 0x1p54;
            k = -54;
        }
        long bits = Double.doubleToRawLongBits(x);
        k += (int) (bits >>> 52) - 1023;
        double m = Double.longBitsToDouble(bits & 0x000fffffffffffffL | 0x3ff0000000000000L);
        if (m > 1.41421356237309504880) {
            m *= 0.5;
            k++;
        }
        double f = m - 1;
        double hfsq = 0.5 * f * f;
        double s = f / (2.0 + f);
        double z = s * s;
        double w = z * z;
        double t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01));
        double t2 = z * (6.666666666666735130e-01 + w * (2.857142874366239149e-01
                + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)));
        double r = t2 + t1;
        double dk = k;
        return dk * 6.93147180369123816490e-01 - ((hfsq - (s * (hfsq + r) + dk * 1.90821492927058770002e-10)) - f);
    }

    static void backward(float[] y, float[] g, float[] out, int[] offsets, int cols, boolean log, int r0, int r1) {
        if (log) {
            logBackward(y, g, out, offsets, cols, r0, r1);
            return;
        }
        boolean aligned = offsets[0] == offsets[1] && offsets[1] == offsets[2];
        for (int r = r0; r < r1; r++) {
            int yb = offsets[0] + r * cols;
            int gb = offsets[1] + r * cols;
            int ob = offsets[2] + r * cols;
            float s = (float) dot(g, gb, y, yb, cols);
            if (aligned) {
                // one index expression for the three arrays, so that the loop vectorises
                for (int j = yb; j < yb + cols; j++) {
                    out[j] = y[j] * (g[j] - s);
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    out[ob + j] = y[yb + j] * (g[gb + j] - s);
                }
            }
        }
    }

    /** {@code g - exp(y) sum(g)}, the exponentials of a block of rows at a time. */
    private static void logBackward(float[] y, float[] g, float[] out, int[] offsets, int cols, int r0, int r1) {
        float[] buf = new float[Math.max(BLOCK, cols)];
        float[] t = new float[buf.length];
        int perBlock = buf.length / Math.max(cols, 1);
        for (int b0 = r0; b0 < r1; b0 += perBlock) {
            int b1 = Math.min(r1, b0 + perBlock);
            int rows = b1 - b0;
            System.arraycopy(y, offsets[0] + b0 * cols, buf, 0, rows * cols);
            FloatExp.expInPlace(buf, t, rows * cols);
            // g's block beside the exponentials at index 0 (t is free again), so that the loop vectorises
            System.arraycopy(g, offsets[1] + b0 * cols, t, 0, rows * cols);
            for (int q = 0; q < rows; q++) {
                int p = q * cols;
                float s = (float) sum(t, p, cols);
                for (int j = p; j < p + cols; j++) {
                    t[j] -= buf[j] * s;
                }
            }
            System.arraycopy(t, 0, out, offsets[2] + b0 * cols, rows * cols);
        }
    }

    /** The dot product of {@code a[ao, ao + n)} and {@code b[bo, bo + n)}, float products split as {@link #sum}'s. */
    static double dot(float[] a, int ao, float[] b, int bo, int n) {
        double s0 = 0; double s1 = 0; double s2 = 0; double s3 = 0;
        double s4 = 0; double s5 = 0; double s6 = 0; double s7 = 0;
        double s8 = 0; double s9 = 0; double s10 = 0; double s11 = 0;
        double s12 = 0; double s13 = 0; double s14 = 0; double s15 = 0;
        int j = 0;
        for (; j + 15 < n; j += 16) {
            s0 += a[ao + j] * b[bo + j];
            s1 += a[ao + j + 1] * b[bo + j + 1];
            s2 += a[ao + j + 2] * b[bo + j + 2];
            s3 += a[ao + j + 3] * b[bo + j + 3];
            s4 += a[ao + j + 4] * b[bo + j + 4];
            s5 += a[ao + j + 5] * b[bo + j + 5];
            s6 += a[ao + j + 6] * b[bo + j + 6];
            s7 += a[ao + j + 7] * b[bo + j + 7];
            s8 += a[ao + j + 8] * b[bo + j + 8];
            s9 += a[ao + j + 9] * b[bo + j + 9];
            s10 += a[ao + j + 10] * b[bo + j + 10];
            s11 += a[ao + j + 11] * b[bo + j + 11];
            s12 += a[ao + j + 12] * b[bo + j + 12];
            s13 += a[ao + j + 13] * b[bo + j + 13];
            s14 += a[ao + j + 14] * b[bo + j + 14];
            s15 += a[ao + j + 15] * b[bo + j + 15];
        }
        int m = n - j; // the tail: element j + k into sum k
        if (m > 0) { s0 += a[ao + j] * b[bo + j]; }
        if (m > 1) { s1 += a[ao + j + 1] * b[bo + j + 1]; }
        if (m > 2) { s2 += a[ao + j + 2] * b[bo + j + 2]; }
        if (m > 3) { s3 += a[ao + j + 3] * b[bo + j + 3]; }
        if (m > 4) { s4 += a[ao + j + 4] * b[bo + j + 4]; }
        if (m > 5) { s5 += a[ao + j + 5] * b[bo + j + 5]; }
        if (m > 6) { s6 += a[ao + j + 6] * b[bo + j + 6]; }
        if (m > 7) { s7 += a[ao + j + 7] * b[bo + j + 7]; }
        if (m > 8) { s8 += a[ao + j + 8] * b[bo + j + 8]; }
        if (m > 9) { s9 += a[ao + j + 9] * b[bo + j + 9]; }
        if (m > 10) { s10 += a[ao + j + 10] * b[bo + j + 10]; }
        if (m > 11) { s11 += a[ao + j + 11] * b[bo + j + 11]; }
        if (m > 12) { s12 += a[ao + j + 12] * b[bo + j + 12]; }
        if (m > 13) { s13 += a[ao + j + 13] * b[bo + j + 13]; }
        if (m > 14) { s14 += a[ao + j + 14] * b[bo + j + 14]; }
        return total(s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15);
    }

    /**
     * Causal softmax of {@code scale * x} over rows of length lk, row r being query {@code r mod lq} of its
     * {@code [lq, lk]} matrix: its first {@code min(i + 1, lk)} columns, visible, get the softmax of the scaled
     * values, computed as {@link #forward} computes it (so the result equals the full-row softmax of the scaled
     * row with -inf in its masked part); the masked columns are set to 0 and never read.
     */
    static void causalForward(float[] x, float[] out, int[] offsets, int lq, int lk, float scale, int r0, int r1) {
        float[] buf = new float[Math.max(BLOCK, lk)];
        float[] t = new float[buf.length];
        int r = r0;
        while (r < r1) {
            int b0 = r;
            int p = 0;
            for (int n = visible(r, lq, lk); r < r1 && p + n <= buf.length; n = visible(++r, lq, lk)) {
                // the visible part copied to the buffer, then scaled and shifted there: loops on one array
                // with one index expression vectorise on HotSpot 17, loops across two offsets do not
                System.arraycopy(x, offsets[0] + r * lk, buf, p, n);
                for (int j = p; j < p + n; j++) {
                    buf[j] *= scale;
                }
                float max = maxOfFew(buf, p, n);
                for (int j = p; j < p + n; j++) {
                    buf[j] -= max;
                }
                p += n;
            }
            FloatExp.expInPlace(buf, t, p);
            p = 0;
            for (int q = b0; q < r; q++) {
                int n = visible(q, lq, lk);
                int ob = offsets[2] + q * lk;
                float s = (float) sum(buf, p, n);
                for (int j = p; j < p + n; j++) {
                    buf[j] /= s;
                }
                System.arraycopy(buf, p, out, ob, n);
                java.util.Arrays.fill(out, ob + n, ob + lk, 0f);
                p += n;
            }
        }
    }

    /** The number of keys that row r (query {@code r mod lq}) sees. */
    private static int visible(int r, int lq, int lk) {
        return Math.min(r % lq + 1, lk);
    }

    /**
     * The backward of {@link #causalForward} from its output y: {@code y (g - sum(g y)) scale} over the
     * visible columns (the sum over those only), 0 at the masked ones, whose g is not read.
     */
    static void causalBackward(float[] y, float[] g, float[] out, int[] offsets, int lq, int lk, float scale,
                               int r0, int r1) {
        boolean aligned = offsets[0] == offsets[1] && offsets[1] == offsets[2];
        for (int r = r0; r < r1; r++) {
            int yb = offsets[0] + r * lk;
            int gb = offsets[1] + r * lk;
            int ob = offsets[2] + r * lk;
            int n = visible(r, lq, lk);
            float s = (float) dot(g, gb, y, yb, n);
            if (aligned) {
                for (int j = yb; j < yb + n; j++) {
                    out[j] = y[j] * (g[j] - s) * scale;
                }
            } else {
                for (int j = 0; j < n; j++) {
                    out[ob + j] = y[yb + j] * (g[gb + j] - s) * scale;
                }
            }
            java.util.Arrays.fill(out, ob + n, ob + lk, 0f);
        }
    }
}
