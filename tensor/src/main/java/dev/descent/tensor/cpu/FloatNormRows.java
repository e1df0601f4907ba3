package dev.descent.tensor.cpu;

/**
 * The rows of {@link NormKernels} for FLOAT32. Row sums run in blocks of float partial sums added in double
 * (one chain of dependent double additions was the bottleneck); the output and input gradient are computed
 * in float. Each row is first copied into small working arrays that start at index 0, like the weight and
 * bias: HotSpot 17 vectorises a loop only when its stores and loads share one index expression, and a row at
 * {@code base + j} beside a weight at {@code j} ran scalar (about 5x slower). Weight and bias may be null; the
 * backward offsets are those of g, x, mean, rstd and weight, in that order.
 */
final class FloatNormRows {
    private FloatNormRows() {
    }

    static void forward(float[] x, int xo, float[] w, int wo, float[] b, int bo, double eps, int cols, int r0, int r1,
                        float[] out, float[] mean, float[] rstd) {
        float[] xt = new float[cols];
        float[] ot = new float[cols];
        float[] wt = atZero(w, wo, cols);
        float[] bt = atZero(b, bo, cols);
        for (int r = r0; r < r1; r++) {
            System.arraycopy(x, xo + r * cols, xt, 0, cols);
            double mu = sum(xt, 0, cols) / cols;
            double inv = 1 / Math.sqrt(squaredDeviations(xt, 0, cols, mu) / cols + eps);
            mean[r] = (float) mu;
            rstd[r] = (float) inv;
            float m = (float) mu;
            float s = (float) inv;
            if (wt != null && bt != null) {
                for (int j = 0; j < cols; j++) {
                    ot[j] = (xt[j] - m) * s * wt[j] + bt[j];
                }
            } else if (wt != null) {
                for (int j = 0; j < cols; j++) {
                    ot[j] = (xt[j] - m) * s * wt[j];
                }
            } else if (bt != null) {
                for (int j = 0; j < cols; j++) {
                    ot[j] = (xt[j] - m) * s + bt[j];
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    ot[j] = (xt[j] - m) * s;
                }
            }
            System.arraycopy(ot, 0, out, r * cols, cols);
        }
    }

    /** {@code a[off .. off + n)} as an array that starts at 0 (a itself when off is 0), or null for null. */
    private static float[] atZero(float[] a, int off, int n) {
        if (a == null || off == 0) {
            return a;
        }
        float[] copy = new float[n];
        System.arraycopy(a, off, copy, 0, n);
        return copy;
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
        float[] wt = atZero(w, offsets[4], cols);
        float[] gt = new float[cols];
        float[] xhat = new float[cols];
        float[] gh = wt == null ? gt : new float[cols];
        float[] gxt = new float[cols];
        // weight and bias gradients: float sums over blocks of rows, each block added in double
        float[] gwBlock = gwPart == null ? null : new float[cols];
        float[] gbBlock = gbPart == null ? null : new float[cols];
        double[] sums = new double[2];
        for (int r = r0; r < r1; r++) {
            System.arraycopy(g, go + r * cols, gt, 0, cols);
            System.arraycopy(x, xo + r * cols, xhat, 0, cols);
            float m = mean[offsets[2] + r];
            float s = rstd[offsets[3] + r];
            if (wt != null && gwBlock != null && gbBlock != null) {
                // the affine case in one pass
                for (int j = 0; j < cols; j++) {
                    float xh = (xhat[j] - m) * s;
                    float gj = gt[j];
                    xhat[j] = xh;
                    gh[j] = gj * wt[j];
                    gwBlock[j] += gj * xh;
                    gbBlock[j] += gj;
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    xhat[j] = (xhat[j] - m) * s;
                }
                if (wt != null) {
                    for (int j = 0; j < cols; j++) {
                        gh[j] = gt[j] * wt[j];
                    }
                }
                if (gwBlock != null) {
                    for (int j = 0; j < cols; j++) {
                        gwBlock[j] += gt[j] * xhat[j];
                    }
                }
                if (gbBlock != null) {
                    for (int j = 0; j < cols; j++) {
                        gbBlock[j] += gt[j];
                    }
                }
            }
            if ((r - r0) % GRAD_ROW_BLOCK == GRAD_ROW_BLOCK - 1 || r == r1 - 1) {
                flush(gwBlock, gwPart);
                flush(gbBlock, gbPart);
            }
            if (gx != null) {
                sumAndDot(gh, 0, xhat, cols, sums);
                float meanA = (float) (sums[0] / cols);
                float meanB = (float) (sums[1] / cols);
                for (int j = 0; j < cols; j++) {
                    gxt[j] = s * (gh[j] - meanA - xhat[j] * meanB);
                }
                System.arraycopy(gxt, 0, gx, r * cols, cols);
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

    /**
     * {@code out[0]} = the sum of a[ao + j] and {@code out[1]} = the sum of a[ao + j] b[j] over n elements, in
     * one pass blocked as {@link #sum} (four float partials of each over blocks of 64, added in double).
     */
    private static void sumAndDot(float[] a, int ao, float[] b, int n, double[] out) {
        double total = 0;
        double dot = 0;
        int j = 0;
        for (; j + 63 < n; j += 64) {
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            float d0 = 0;
            float d1 = 0;
            float d2 = 0;
            float d3 = 0;
            for (int k = j, end = j + 64; k < end; k += 4) {
                float a0 = a[ao + k];
                float a1 = a[ao + k + 1];
                float a2 = a[ao + k + 2];
                float a3 = a[ao + k + 3];
                s0 += a0;
                s1 += a1;
                s2 += a2;
                s3 += a3;
                d0 += a0 * b[k];
                d1 += a1 * b[k + 1];
                d2 += a2 * b[k + 2];
                d3 += a3 * b[k + 3];
            }
            total += (s0 + s1) + (s2 + s3);
            dot += (d0 + d1) + (d2 + d3);
        }
        for (; j < n; j++) {
            total += a[ao + j];
            dot += a[ao + j] * (double) b[j];
        }
        out[0] = total;
        out[1] = dot;
    }
}
