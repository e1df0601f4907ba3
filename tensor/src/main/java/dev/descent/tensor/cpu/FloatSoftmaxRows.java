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
        for (int b0 = r0; b0 < r1; b0 += perBlock) {
            int b1 = Math.min(r1, b0 + perBlock);
            for (int r = b0; r < b1; r++) {
                int xb = offsets[0] + r * cols;
                float max = max(x, xb, cols);
                float shift = log && Math.abs(max) == Float.POSITIVE_INFINITY ? 0 : max;
                shifts[r - b0] = shift;
                int p = (r - b0) * cols;
                for (int j = 0; j < cols; j++) {
                    buf[p + j] = x[xb + j] - shift;
                }
            }
            FloatExp.expInPlace(buf, t, (b1 - b0) * cols);
            for (int r = b0; r < b1; r++) {
                int p = (r - b0) * cols;
                int ob = offsets[2] + r * cols;
                if (log) {
                    int xb = offsets[0] + r * cols;
                    float lse = (float) Math.log(sum(buf, p, cols)) + shifts[r - b0];
                    for (int j = 0; j < cols; j++) {
                        out[ob + j] = x[xb + j] - lse;
                    }
                } else {
                    float s = (float) sum(buf, p, cols);
                    for (int j = 0; j < cols; j++) {
                        out[ob + j] = buf[p + j] / s;
                    }
                }
            }
        }
    }

    /**
     * The largest of {@code x[from, from + n)}, -inf when n is 0. A NaN is skipped here (a comparison rather
     * than {@code Math.max}, which costs several instructions per element) but still makes the row NaN: its
     * exponential is NaN and so is the sum that divides every element.
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
        for (int r = r0; r < r1; r++) {
            int yb = offsets[0] + r * cols;
            int gb = offsets[1] + r * cols;
            int ob = offsets[2] + r * cols;
            float s = (float) dot(g, gb, y, yb, cols);
            for (int j = 0; j < cols; j++) {
                out[ob + j] = y[yb + j] * (g[gb + j] - s);
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
            System.arraycopy(y, offsets[0] + b0 * cols, buf, 0, (b1 - b0) * cols);
            FloatExp.expInPlace(buf, t, (b1 - b0) * cols);
            for (int r = b0; r < b1; r++) {
                int p = (r - b0) * cols;
                int gb = offsets[1] + r * cols;
                int ob = offsets[2] + r * cols;
                float s = (float) sum(g, gb, cols);
                for (int j = 0; j < cols; j++) {
                    out[ob + j] = g[gb + j] - buf[p + j] * s;
                }
            }
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
                int xb = offsets[0] + r * lk;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    float v = x[xb + j] * scale;
                    buf[p + j] = v;
                    max = v > max ? v : max;
                }
                for (int j = 0; j < n; j++) {
                    buf[p + j] -= max;
                }
                p += n;
            }
            FloatExp.expInPlace(buf, t, p);
            p = 0;
            for (int q = b0; q < r; q++) {
                int n = visible(q, lq, lk);
                int ob = offsets[2] + q * lk;
                float s = (float) sum(buf, p, n);
                for (int j = 0; j < n; j++) {
                    out[ob + j] = buf[p + j] / s;
                }
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
        for (int r = r0; r < r1; r++) {
            int yb = offsets[0] + r * lk;
            int gb = offsets[1] + r * lk;
            int ob = offsets[2] + r * lk;
            int n = visible(r, lq, lk);
            float s = (float) dot(g, gb, y, yb, n);
            for (int j = 0; j < n; j++) {
                out[ob + j] = y[yb + j] * (g[gb + j] - s) * scale;
            }
            java.util.Arrays.fill(out, ob + n, ob + lk, 0f);
        }
    }
}
