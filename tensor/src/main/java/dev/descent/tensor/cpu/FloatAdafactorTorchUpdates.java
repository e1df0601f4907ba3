package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * FLOAT32 loops of torch.optim.Adafactor's rules ADAFACTOR_TORCH_FACTORED and ADAFACTOR_TORCH_VECTOR (see
 * {@link dev.descent.tensor.FusedRule}), over elements [from, to) of the parameter, as
 * {@link FloatAdafactorUpdates} does for the HF rules: each line one in-place operation of the unfused path
 * (the norms of d over rows and columns, squared and divided; the interpolations; the clamps and rsqrt of the
 * update, a block at a time through {@link FusedKernels#reciprocalSqrt}), the sums in the order of the
 * reductions they replace. The row variance's mean over R is a sum in
 * double one element after the other for a matrix ({@code ColumnSum}) and a blocked {@link FloatSum} for
 * higher ranks, as the unfused reduction takes those two paths.
 * {@code DoubleAdafactorTorchUpdates} is this file for FLOAT64, made by {@code gen-double-updates.sh}.
 */
final class FloatAdafactorTorchUpdates {
    private FloatAdafactorTorchUpdates() {
    }

    /** torch's lerp_ with a scalar weight: from the nearer end. */
    private static float lerp(float a, float b, float w) {
        return Math.abs(w) < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
    }

    static void factored(Tensor[] t, double[] s, int from, int to) {
        if (s[0] == 0) {
            factoredStatistics(t, s);
            return;
        }
        int rows = Factored.rows(t[0]);
        int batches = Factored.batches(t[0]);
        float[] means = Scratch.floats(Scratch.ROW_FACTORS, batches);
        rowVarianceMeans(t, s, rows, batches, means);
        if (s[0] == 1) {
            s[8] = updateSquares(t, s, means);
        } else {
            factoredApply(t, s, means, from, to);
        }
    }

    /** Phase 0: the row and column variances towards the mean squares of d; the sum of θ² into s[7]. */
    private static void factoredStatistics(Tensor[] t, double[] s) {
        float[] g = FusedKernels.floats(t[1]);
        float[] row = FusedKernels.floats(t[2]);
        float[] col = FusedKernels.floats(t[3]);
        int o = t[0].offset();
        int ro = t[2].offset();
        int co = t[3].offset();
        float sign = s[1] != 0 ? -1 : 1;
        float w = (float) s[2];
        int rows = Factored.rows(t[0]);
        int cols = Factored.cols(t[0]);
        int batches = Factored.batches(t[0]);
        float rn = rows;
        float cn = cols;
        float[] x = Scratch.floats(Scratch.BLOCK, FusedKernels.BLOCK);
        double[] acc = Scratch.sums(1);
        // one column of a tensor of rank 3 or more is a contiguous run: the unfused mean sums it in blocks
        float[] column = cols == 1 && t[0].dim() > 2 ? Scratch.floats(Scratch.SECOND_BLOCK, rows) : null;
        for (int bb = 0; bb < batches; bb++) {
            double[] cs = Scratch.columnSums(cols);
            for (int r = 0; r < rows; r++) {
                int base = o + (bb * rows + r) * cols;
                FloatSum.clear(acc, 0);
                for (int c0 = 0; c0 < cols; c0 += FusedKernels.BLOCK) {
                    int c1 = Math.min(c0 + FusedKernels.BLOCK, cols);
                    for (int c = c0; c < c1; c++) {
                        float d = sign * g[base + c];
                        float xi = d * d;
                        x[c - c0] = xi;
                        cs[c] += xi;
                    }
                    FloatSum.values(acc, 0, x, 0, c1 - c0);
                }
                float mean = (float) FloatSum.total(acc, 0);
                mean = (float) Math.sqrt(mean);
                mean = mean * mean;
                mean = mean / cn;
                if (column != null) {
                    column[r] = x[0];
                }
                int ri = ro + bb * rows + r;
                row[ri] = lerp(row[ri], mean, w);
            }
            if (column != null) {
                cs[0] = FloatAdafactorUpdates.blockedSum(column, rows, acc);
            }
            for (int c = 0; c < cols; c++) {
                float mean = (float) cs[c];
                mean = (float) Math.sqrt(mean);
                mean = mean * mean;
                mean = mean / rn;
                int ci = co + bb * cols + c;
                col[ci] = lerp(col[ci], mean, w);
            }
        }
        s[7] = FloatAdafactorUpdates.squares(FusedKernels.floats(t[0]), o, t[0].numel());
    }

    /** {@code max(mean(row variance over R), eps1)} per batch into means. */
    private static void rowVarianceMeans(Tensor[] t, double[] s, int rows, int batches, float[] means) {
        float[] row = FusedKernels.floats(t[2]);
        int ro = t[2].offset();
        float eps1 = (float) s[3];
        float inf = (float) Double.POSITIVE_INFINITY;
        float rn = rows;
        double[] acc = Scratch.sums(1);
        for (int bb = 0; bb < batches; bb++) {
            int first = ro + bb * rows;
            double sum = 0;
            if (t[0].dim() == 2) {
                for (int r = 0; r < rows; r++) {
                    sum += row[first + r];
                }
            } else {
                FloatSum.clear(acc, 0);
                for (int r0 = 0; r0 < rows; r0 += FusedKernels.BLOCK) {
                    FloatSum.values(acc, 0, row, first + r0, Math.min(FusedKernels.BLOCK, rows - r0));
                }
                sum = FloatSum.total(acc, 0);
            }
            float mean = (float) sum;
            mean = mean / rn;
            means[bb] = Math.min(Math.max(mean, eps1), inf);
        }
    }

    /**
     * The update's reciprocal factors {@code rsqrt(max(rowVar col / mean, eps1²))} of columns [c, c + len) of
     * one row into r (len at most a block).
     */
    private static void factors(float rowVar, float[] col, int cb, float mean, float e2, double[] r, int len) {
        float inf = (float) Double.POSITIVE_INFINITY;
        for (int k = 0; k < len; k++) {
            float est = rowVar * col[cb + k];
            est = est / mean;
            r[k] = Math.min(Math.max(est, e2), inf);
        }
        FusedKernels.reciprocalSqrt(r, len);
    }

    /** Phase 1: the sum of the squares of the update, in blocks of the flattened tensor. */
    private static double updateSquares(Tensor[] t, double[] s, float[] means) {
        float[] g = FusedKernels.floats(t[1]);
        float[] row = FusedKernels.floats(t[2]);
        float[] col = FusedKernels.floats(t[3]);
        int o = t[0].offset();
        int ro = t[2].offset();
        int co = t[3].offset();
        float sign = s[1] != 0 ? -1 : 1;
        float e2 = (float) s[4];
        int rows = Factored.rows(t[0]);
        int cols = Factored.cols(t[0]);
        int batches = Factored.batches(t[0]);
        float[] x = Scratch.floats(Scratch.BLOCK, FusedKernels.BLOCK);
        double[] r = Scratch.doubles(Scratch.RECIPROCALS, FusedKernels.BLOCK);
        double[] acc = Scratch.sums(1);
        int filled = 0;
        for (int q = 0; q < rows * batches; q++) {
            int base = o + q * cols;
            int bb = q / rows;
            for (int c = 0; c < cols; ) {
                int take = Math.min(cols - c, FusedKernels.BLOCK - filled);
                factors(row[ro + q], col, co + bb * cols + c, means[bb], e2, r, take);
                for (int k = 0; k < take; k++) {
                    float d = sign * g[base + c + k];
                    x[filled + k] = (float) r[k] * d;
                }
                filled += take;
                c += take;
                if (filled == FusedKernels.BLOCK) {
                    FloatSum.squares(acc, 0, x, 0, filled);
                    filled = 0;
                }
            }
        }
        if (filled > 0) {
            FloatSum.squares(acc, 0, x, 0, filled);
        }
        return FloatSum.total(acc, 0);
    }

    /** Phase 2: {@code θ ← θ decay}, {@code θ += step u}. */
    private static void factoredApply(Tensor[] t, double[] s, float[] means, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] row = FusedKernels.floats(t[2]);
        float[] col = FusedKernels.floats(t[3]);
        int o = t[0].offset();
        int ro = t[2].offset();
        int co = t[3].offset();
        float sign = s[1] != 0 ? -1 : 1;
        float e2 = (float) s[4];
        float decay = (float) s[5];
        float step = (float) s[6];
        int rows = Factored.rows(t[0]);
        int cols = Factored.cols(t[0]);
        double[] r = Scratch.doubles(Scratch.RECIPROCALS, FusedKernels.BLOCK);
        for (int q = from / cols; q * cols < to; q++) {
            int base = o + q * cols;
            int bb = q / rows;
            int c1 = Math.min(to - q * cols, cols);
            for (int c0 = Math.max(from - q * cols, 0); c0 < c1; c0 += FusedKernels.BLOCK) {
                int len = Math.min(FusedKernels.BLOCK, c1 - c0);
                factors(row[ro + q], col, co + bb * cols + c0, means[bb], e2, r, len);
                for (int k = 0; k < len; k++) {
                    int i = base + c0 + k;
                    float ui = (float) r[k] * (sign * g[i]);
                    float theta = p[i] * decay;
                    p[i] = theta + step * ui;
                }
            }
        }
    }

    static void vector(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] v = FusedKernels.floats(t[2]);
        int o = t[0].offset();
        float sign = s[1] != 0 ? -1 : 1;
        float w = (float) s[2];
        float e2 = (float) s[4];
        float inf = (float) Double.POSITIVE_INFINITY;
        double[] r = Scratch.doubles(Scratch.RECIPROCALS, FusedKernels.BLOCK);
        if (s[0] == 0) {
            float[] u = Scratch.floats(Scratch.BLOCK, FusedKernels.BLOCK);
            double[] acc = Scratch.sums(2);
            for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
                int e = Math.min(b + FusedKernels.BLOCK, to + o);
                for (int i = b; i < e; i++) {
                    float d = sign * g[i];
                    v[i] = lerp(v[i], d * d, w);
                }
                for (int j = 0; j < e - b; j++) {
                    r[j] = Math.min(Math.max(v[b + j], e2), inf);
                }
                FusedKernels.reciprocalSqrt(r, e - b);
                for (int j = 0; j < e - b; j++) {
                    u[j] = (float) r[j] * (sign * g[b + j]);
                }
                FloatSum.squares(acc, 0, p, b, e - b);
                FloatSum.squares(acc, 1, u, 0, e - b);
            }
            s[7] = FloatSum.total(acc, 0);
            s[8] = FloatSum.total(acc, 1);
            return;
        }
        float decay = (float) s[5];
        float step = (float) s[6];
        for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
            int e = Math.min(b + FusedKernels.BLOCK, to + o);
            for (int j = 0; j < e - b; j++) {
                r[j] = Math.min(Math.max(v[b + j], e2), inf);
            }
            FusedKernels.reciprocalSqrt(r, e - b);
            for (int j = 0; j < e - b; j++) {
                int i = b + j;
                float ui = (float) r[j] * (sign * g[i]);
                float theta = p[i] * decay;
                p[i] = theta + step * ui;
            }
        }
    }
}
