package dev.descent.tensor.cpu;

/**
 * Softmax and log-softmax over the rows of contiguous FLOAT64 data, forward and backward, one row at a
 * time so that each row stays in cache across its passes. The formulas are those of
 * the composed operations they replace: {@code exp(x - max) / sum}, {@code x - (s + log(sum exp(x - s)))}
 * with s the row's maximum (0 when that is infinite), {@code y (g - sum(g y))} and
 * {@code g - exp(y) sum(g)}. Offsets are those of the first input, the second input and the output.
 */
final class DoubleSoftmaxRows {
    private DoubleSoftmaxRows() {
    }

    static void forward(double[] x, double[] out, int[] offsets, int cols, boolean log, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int xb = offsets[0] + r * cols;
            int ob = offsets[2] + r * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[xb + j]);
            }
            if (log) {
                double shift = Math.abs(max) == Double.POSITIVE_INFINITY ? 0 : max;
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    sum += Math.exp(x[xb + j] - shift);
                }
                double lse = Math.log(sum) + shift;
                for (int j = 0; j < cols; j++) {
                    out[ob + j] = x[xb + j] - lse;
                }
            } else {
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    double e = Math.exp(x[xb + j] - max);
                    out[ob + j] = e;
                    sum += e;
                }
                double s = sum;
                for (int j = 0; j < cols; j++) {
                    out[ob + j] /= s;
                }
            }
        }
    }

    static void backward(double[] y, double[] g, double[] out, int[] offsets, int cols, boolean log, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int yb = offsets[0] + r * cols;
            int gb = offsets[1] + r * cols;
            int ob = offsets[2] + r * cols;
            double sum = 0;
            if (log) {
                for (int j = 0; j < cols; j++) {
                    sum += g[gb + j];
                }
                double s = sum;
                for (int j = 0; j < cols; j++) {
                    out[ob + j] = g[gb + j] - Math.exp(y[yb + j]) * s;
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    sum += g[gb + j] * y[yb + j];
                }
                double s = sum;
                for (int j = 0; j < cols; j++) {
                    out[ob + j] = y[yb + j] * (g[gb + j] - s);
                }
            }
        }
    }

    /**
     * Causal softmax of {@code scale * x} as {@link FloatSoftmaxRows#causalForward}, with {@code Math.exp} and
     * one running sum, as {@link #forward}: the result equals the full-row softmax of the scaled row with
     * -inf in its masked part exactly.
     */
    static void causalForward(double[] x, double[] out, int[] offsets, int lq, int lk, double scale, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int xb = offsets[0] + r * lk;
            int ob = offsets[2] + r * lk;
            int n = Math.min(r % lq + 1, lk);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                double v = x[xb + j] * scale;
                out[ob + j] = v;
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                double e = Math.exp(out[ob + j] - max);
                out[ob + j] = e;
                sum += e;
            }
            for (int j = 0; j < n; j++) {
                out[ob + j] /= sum;
            }
            java.util.Arrays.fill(out, ob + n, ob + lk, 0);
        }
    }

    /** The backward of {@link #causalForward}: {@code y (g - sum(g y)) scale} over the visible columns, 0 elsewhere. */
    static void causalBackward(double[] y, double[] g, double[] out, int[] offsets, int lq, int lk, double scale,
                               int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int yb = offsets[0] + r * lk;
            int gb = offsets[1] + r * lk;
            int ob = offsets[2] + r * lk;
            int n = Math.min(r % lq + 1, lk);
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += g[gb + j] * y[yb + j];
            }
            for (int j = 0; j < n; j++) {
                out[ob + j] = y[yb + j] * (g[gb + j] - sum) * scale;
            }
            java.util.Arrays.fill(out, ob + n, ob + lk, 0);
        }
    }
}
