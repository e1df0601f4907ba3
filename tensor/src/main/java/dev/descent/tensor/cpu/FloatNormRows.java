package dev.descent.tensor.cpu;

/**
 * The rows of {@link NormKernels} for FLOAT32. Row sums run in blocks of eight float partial sums added
 * in double (one chain of dependent double additions was the bottleneck); the output and input gradient
 * are computed in float, where the loops vectorise. Weight and bias may be null; the backward offsets are those of g, x,
 * mean, rstd and weight, in that order.
 */
final class FloatNormRows {
    private FloatNormRows() {
    }

    static void forward(float[] x, int xo, float[] w, int wo, float[] b, int bo, double eps, int cols, int r0, int r1,
                        float[] out, float[] mean, float[] rstd) {
        for (int r = r0; r < r1; r++) {
            int base = xo + r * cols;
            double mu = sum(x, base, cols) / cols;
            double inv = 1 / Math.sqrt(squaredDeviations(x, base, cols, mu) / cols + eps);
            mean[r] = (float) mu;
            rstd[r] = (float) inv;
            float m = (float) mu;
            float s = (float) inv;
            int ob = r * cols;
            if (w != null && b != null) {
                for (int j = 0; j < cols; j++) {
                    out[ob + j] = (x[base + j] - m) * s * w[wo + j] + b[bo + j];
                }
            } else if (w != null) {
                for (int j = 0; j < cols; j++) {
                    out[ob + j] = (x[base + j] - m) * s * w[wo + j];
                }
            } else if (b != null) {
                for (int j = 0; j < cols; j++) {
                    out[ob + j] = (x[base + j] - m) * s + b[bo + j];
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    out[ob + j] = (x[base + j] - m) * s;
                }
            }
        }
    }

    /**
     * The sum of n floats: eight float partial sums over blocks of 64 elements (independent chains that
     * pipeline; eight terms each per block, so float rounding stays at a few ulps of a block's sum), each
     * block's total added in double.
     */
    private static double sum(float[] x, int base, int n) {
        double total = 0;
        int j = 0;
        for (; j + 63 < n; j += 64) {
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            float s4 = 0;
            float s5 = 0;
            float s6 = 0;
            float s7 = 0;
            for (int k = base + j, end = k + 64; k < end; k += 8) {
                s0 += x[k];
                s1 += x[k + 1];
                s2 += x[k + 2];
                s3 += x[k + 3];
                s4 += x[k + 4];
                s5 += x[k + 5];
                s6 += x[k + 6];
                s7 += x[k + 7];
            }
            total += ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        }
        for (; j < n; j++) {
            total += x[base + j];
        }
        return total;
    }

    /** The sum of (x - mu)^2 over n floats, blocked as {@link #sum}. */
    private static double squaredDeviations(float[] x, int base, int n, double mu) {
        float m = (float) mu;
        double total = 0;
        int j = 0;
        for (; j + 63 < n; j += 64) {
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            float s4 = 0;
            float s5 = 0;
            float s6 = 0;
            float s7 = 0;
            for (int k = base + j, end = k + 64; k < end; k += 8) {
                float d0 = x[k] - m;
                float d1 = x[k + 1] - m;
                float d2 = x[k + 2] - m;
                float d3 = x[k + 3] - m;
                float d4 = x[k + 4] - m;
                float d5 = x[k + 5] - m;
                float d6 = x[k + 6] - m;
                float d7 = x[k + 7] - m;
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
                s4 += d4 * d4;
                s5 += d5 * d5;
                s6 += d6 * d6;
                s7 += d7 * d7;
            }
            total += ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        }
        for (; j < n; j++) {
            double d = x[base + j] - mu;
            total += d * d;
        }
        return total;
    }

    /** Rows whose weight and bias gradients are summed in float before they are added into the double totals. */
    static final int GRAD_ROW_BLOCK = 32;

    static void backward(float[] g, float[] x, float[] mean, float[] rstd, float[] w, int[] offsets, int cols,
                         int r0, int r1, float[] gx, double[] gwPart, double[] gbPart) {
        int go = offsets[0];
        int xo = offsets[1];
        int wo = offsets[4];
        float[] xhat = new float[cols];
        float[] gh = w == null ? null : new float[cols];
        // weight and bias gradients: float sums over blocks of rows (loops that vectorise), each block added in
        // double; a float-to-double add per element and row was a third of the kernel
        float[] gwBlock = gwPart == null ? null : new float[cols];
        float[] gbBlock = gbPart == null ? null : new float[cols];
        for (int r = r0; r < r1; r++) {
            int xb = xo + r * cols;
            int gb0 = go + r * cols;
            float m = mean[offsets[2] + r];
            float s = rstd[offsets[3] + r];
            for (int j = 0; j < cols; j++) {
                xhat[j] = (x[xb + j] - m) * s;
            }
            float[] ghRow = g;
            int ghOff = gb0;
            if (w != null) {
                for (int j = 0; j < cols; j++) {
                    gh[j] = g[gb0 + j] * w[wo + j];
                }
                ghRow = gh;
                ghOff = 0;
            }
            if (gwBlock != null) {
                for (int j = 0; j < cols; j++) {
                    gwBlock[j] += g[gb0 + j] * xhat[j];
                }
            }
            if (gbBlock != null) {
                for (int j = 0; j < cols; j++) {
                    gbBlock[j] += g[gb0 + j];
                }
            }
            if ((r - r0) % GRAD_ROW_BLOCK == GRAD_ROW_BLOCK - 1 || r == r1 - 1) {
                flush(gwBlock, gwPart);
                flush(gbBlock, gbPart);
            }
            if (gx != null) {
                float meanA = (float) (sum(ghRow, ghOff, cols) / cols);
                float meanB = (float) (dot(ghRow, ghOff, xhat, cols) / cols);
                int ob = r * cols;
                for (int j = 0; j < cols; j++) {
                    gx[ob + j] = s * (ghRow[ghOff + j] - meanA - xhat[j] * meanB);
                }
            }
        }
    }

    /** Adds a block's float sums into the double totals and clears the block. */
    private static void flush(float[] block, double[] total) {
        if (block == null) {
            return;
        }
        for (int j = 0; j < block.length; j++) {
            total[j] += block[j];
            block[j] = 0;
        }
    }

    /** The sum of a[ao + j] b[j] over n elements, blocked as {@link #sum}. */
    private static double dot(float[] a, int ao, float[] b, int n) {
        double total = 0;
        int j = 0;
        for (; j + 63 < n; j += 64) {
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            float s4 = 0;
            float s5 = 0;
            float s6 = 0;
            float s7 = 0;
            for (int k = j, end = j + 64; k < end; k += 8) {
                s0 += a[ao + k] * b[k];
                s1 += a[ao + k + 1] * b[k + 1];
                s2 += a[ao + k + 2] * b[k + 2];
                s3 += a[ao + k + 3] * b[k + 3];
                s4 += a[ao + k + 4] * b[k + 4];
                s5 += a[ao + k + 5] * b[k + 5];
                s6 += a[ao + k + 6] * b[k + 6];
                s7 += a[ao + k + 7] * b[k + 7];
            }
            total += ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
        }
        for (; j < n; j++) {
            total += a[ao + j] * (double) b[j];
        }
        return total;
    }
}
