package dev.descent.tensor.cpu;

/**
 * Softmax and log-softmax over the rows of contiguous FLOAT32 data, forward and backward, one row at a
 * time so that each row stays in cache across its passes; sums run in double. The formulas are those of
 * the composed operations they replace: {@code exp(x - max) / sum}, {@code x - (s + log(sum exp(x - s)))}
 * with s the row's maximum (0 when that is infinite), {@code y (g - sum(g y))} and
 * {@code g - exp(y) sum(g)}. Offsets are those of the first input, the second input and the output.
 */
final class FloatSoftmaxRows {
    private FloatSoftmaxRows() {
    }

    static void forward(float[] x, float[] out, int[] offsets, int cols, boolean log, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int xb = offsets[0] + r * cols;
            int ob = offsets[2] + r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[xb + j]);
            }
            if (log) {
                float shift = Math.abs(max) == Float.POSITIVE_INFINITY ? 0 : max;
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    sum += (float) Math.exp(x[xb + j] - shift);
                }
                float lse = (float) Math.log(sum) + shift;
                for (int j = 0; j < cols; j++) {
                    out[ob + j] = x[xb + j] - lse;
                }
            } else {
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    float e = (float) Math.exp(x[xb + j] - max);
                    out[ob + j] = e;
                    sum += e;
                }
                float s = (float) sum;
                for (int j = 0; j < cols; j++) {
                    out[ob + j] /= s;
                }
            }
        }
    }

    static void backward(float[] y, float[] g, float[] out, int[] offsets, int cols, boolean log, int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            int yb = offsets[0] + r * cols;
            int gb = offsets[1] + r * cols;
            int ob = offsets[2] + r * cols;
            double sum = 0;
            if (log) {
                for (int j = 0; j < cols; j++) {
                    sum += g[gb + j];
                }
                float s = (float) sum;
                for (int j = 0; j < cols; j++) {
                    out[ob + j] = g[gb + j] - (float) Math.exp(y[yb + j]) * s;
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    sum += g[gb + j] * y[yb + j];
                }
                float s = (float) sum;
                for (int j = 0; j < cols; j++) {
                    out[ob + j] = y[yb + j] * (g[gb + j] - s);
                }
            }
        }
    }
}
