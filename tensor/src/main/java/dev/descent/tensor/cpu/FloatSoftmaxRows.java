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
                    float lse = (float) Math.log(sum(buf, p, cols)) + shifts[q];
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
     * The sum of {@code x[from, from + n)} in double, in four partial sums (element j into sum j mod 4) to
     * keep the adder busy. Because the split depends only on j, a row's sum equals that of its first n
     * elements when the rest are zeros: the causal kernels, which sum only the visible part, agree exactly
     * with the full-row kernels on a row whose masked part is 0.
     */
    static double sum(float[] x, int from, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += x[from + j];
            s1 += x[from + j + 1];
            s2 += x[from + j + 2];
            s3 += x[from + j + 3];
        }
        if (j < n) {
            s0 += x[from + j];
        }
        if (j + 1 < n) {
            s1 += x[from + j + 1];
        }
        if (j + 2 < n) {
            s2 += x[from + j + 2];
        }
        return (s0 + s1) + (s2 + s3);
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
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[ao + j] * b[bo + j];
            s1 += a[ao + j + 1] * b[bo + j + 1];
            s2 += a[ao + j + 2] * b[bo + j + 2];
            s3 += a[ao + j + 3] * b[bo + j + 3];
        }
        if (j < n) {
            s0 += a[ao + j] * b[bo + j];
        }
        if (j + 1 < n) {
            s1 += a[ao + j + 1] * b[bo + j + 1];
        }
        if (j + 2 < n) {
            s2 += a[ao + j + 2] * b[bo + j + 2];
        }
        return (s0 + s1) + (s2 + s3);
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
