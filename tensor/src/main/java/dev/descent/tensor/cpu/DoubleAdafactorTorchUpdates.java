package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * FLOAT64 loops of torch.optim.Adafactor's rules ADAFACTOR_TORCH_FACTORED and ADAFACTOR_TORCH_VECTOR (see
 * {@link dev.descent.tensor.FusedRule}), over elements [from, to) of the parameter, as
 * {@link DoubleAdafactorUpdates} does for the HF rules: each line one in-place operation of the unfused path
 * (the norms of d over rows and columns, squared and divided; the interpolations; the clamps and rsqrt of the
 * update, a block at a time through {@link FusedKernels#reciprocalSqrt}), the sums in the order of the
 * reductions they replace. The row variance's mean over R is a sum in
 * double one element after the other for a matrix ({@code ColumnSum}) and a blocked {@link DoubleSum} for
 * higher ranks, as the unfused reduction takes those two paths.
 * {@code FloatAdafactorTorchUpdates} is this file for FLOAT32, made by {@code gen-double-updates.sh}.
 */
final class DoubleAdafactorTorchUpdates {
    private DoubleAdafactorTorchUpdates() {
    }

    /** torch's lerp_ with a scalar weight: from the nearer end. */
    private static double lerp(double a, double b, double w) {
        return Math.abs(w) < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
    }

    static void factored(Tensor[] t, double[] s, int from, int to) {
        if (s[0] == 0) {
            factoredStatistics(t, s);
            return;
        }
        int rows = Factored.rows(t[0]);
        int batches = Factored.batches(t[0]);
        double[] means = Scratch.doubles(Scratch.ROW_FACTORS, batches);
        rowVarianceMeans(t, s, rows, batches, means);
        if (s[0] == 1) {
            s[8] = updateSquares(t, s, means);
        } else {
            factoredApply(t, s, means, from, to);
        }
    }

    /** Phase 0: the row and column variances towards the mean squares of d; the sum of θ² into s[7]. */
    private static void factoredStatistics(Tensor[] t, double[] s) {
        double[] g = FusedKernels.doubles(t[1]);
        double[] row = FusedKernels.doubles(t[2]);
        double[] col = FusedKernels.doubles(t[3]);
        int o = t[0].offset();
        int ro = t[2].offset();
        int co = t[3].offset();
        double sign = s[1] != 0 ? -1 : 1;
        double w = s[2];
        int rows = Factored.rows(t[0]);
        int cols = Factored.cols(t[0]);
        int batches = Factored.batches(t[0]);
        double rn = rows;
        double cn = cols;
        double[] x = Scratch.doubles(Scratch.BLOCK, FusedKernels.BLOCK);
        double[] acc = Scratch.sums(1);
        // one column of a tensor of rank 3 or more is a contiguous run: the unfused mean sums it in blocks
        double[] column = cols == 1 && t[0].dim() > 2 ? Scratch.doubles(Scratch.SECOND_BLOCK, rows) : null;
        for (int bb = 0; bb < batches; bb++) {
            double[] cs = Scratch.columnSums(cols);
            for (int r = 0; r < rows; r++) {
                int base = o + (bb * rows + r) * cols;
                DoubleSum.clear(acc, 0);
                for (int c0 = 0; c0 < cols; c0 += FusedKernels.BLOCK) {
                    int c1 = Math.min(c0 + FusedKernels.BLOCK, cols);
                    for (int c = c0; c < c1; c++) {
                        double d = sign * g[base + c];
                        double xi = d * d;
                        x[c - c0] = xi;
                        cs[c] += xi;
                    }
                    DoubleSum.values(acc, 0, x, 0, c1 - c0);
                }
                double mean = DoubleSum.total(acc, 0);
                mean = Math.sqrt(mean);
                mean = mean * mean;
                mean = mean / cn;
                if (column != null) {
                    column[r] = x[0];
                }
                int ri = ro + bb * rows + r;
                row[ri] = lerp(row[ri], mean, w);
            }
            if (column != null) {
                cs[0] = DoubleAdafactorUpdates.blockedSum(column, rows, acc);
            }
            for (int c = 0; c < cols; c++) {
                double mean = cs[c];
                mean = Math.sqrt(mean);
                mean = mean * mean;
                mean = mean / rn;
                int ci = co + bb * cols + c;
                col[ci] = lerp(col[ci], mean, w);
            }
        }
        s[7] = DoubleAdafactorUpdates.squares(FusedKernels.doubles(t[0]), o, t[0].numel());
    }

    /** {@code max(mean(row variance over R), eps1)} per batch into means. */
    private static void rowVarianceMeans(Tensor[] t, double[] s, int rows, int batches, double[] means) {
        double[] row = FusedKernels.doubles(t[2]);
        int ro = t[2].offset();
        double eps1 = s[3];
        double inf = Double.POSITIVE_INFINITY;
        double rn = rows;
        double[] acc = Scratch.sums(1);
        for (int bb = 0; bb < batches; bb++) {
            int first = ro + bb * rows;
            double sum = 0;
            if (t[0].dim() == 2) {
                for (int r = 0; r < rows; r++) {
                    sum += row[first + r];
                }
            } else {
                DoubleSum.clear(acc, 0);
                for (int r0 = 0; r0 < rows; r0 += FusedKernels.BLOCK) {
                    DoubleSum.values(acc, 0, row, first + r0, Math.min(FusedKernels.BLOCK, rows - r0));
                }
                sum = DoubleSum.total(acc, 0);
            }
            double mean = sum;
            mean = mean / rn;
            means[bb] = Math.min(Math.max(mean, eps1), inf);
        }
    }

    /**
     * The update's reciprocal factors {@code rsqrt(max(rowVar col / mean, eps1²))} of columns [c, c + len) of
     * one row into r (len at most a block).
     */
    private static void factors(double rowVar, double[] col, int cb, double mean, double e2, double[] r, int len) {
        double inf = Double.POSITIVE_INFINITY;
        for (int k = 0; k < len; k++) {
            double est = rowVar * col[cb + k];
            est = est / mean;
            r[k] = Math.min(Math.max(est, e2), inf);
        }
        FusedKernels.reciprocalSqrt(r, len);
    }

    /** Phase 1: the sum of the squares of the update, in blocks of the flattened tensor. */
    private static double updateSquares(Tensor[] t, double[] s, double[] means) {
        double[] g = FusedKernels.doubles(t[1]);
        double[] row = FusedKernels.doubles(t[2]);
        double[] col = FusedKernels.doubles(t[3]);
        int o = t[0].offset();
        int ro = t[2].offset();
        int co = t[3].offset();
        double sign = s[1] != 0 ? -1 : 1;
        double e2 = s[4];
        int rows = Factored.rows(t[0]);
        int cols = Factored.cols(t[0]);
        int batches = Factored.batches(t[0]);
        double[] x = Scratch.doubles(Scratch.BLOCK, FusedKernels.BLOCK);
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
                    double d = sign * g[base + c + k];
                    x[filled + k] = r[k] * d;
                }
                filled += take;
                c += take;
                if (filled == FusedKernels.BLOCK) {
                    DoubleSum.squares(acc, 0, x, 0, filled);
                    filled = 0;
                }
            }
        }
        if (filled > 0) {
            DoubleSum.squares(acc, 0, x, 0, filled);
        }
        return DoubleSum.total(acc, 0);
    }

    /** Phase 2: {@code θ ← θ decay}, {@code θ += step u}. */
    private static void factoredApply(Tensor[] t, double[] s, double[] means, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] row = FusedKernels.doubles(t[2]);
        double[] col = FusedKernels.doubles(t[3]);
        int o = t[0].offset();
        int ro = t[2].offset();
        int co = t[3].offset();
        double sign = s[1] != 0 ? -1 : 1;
        double e2 = s[4];
        double decay = s[5];
        double step = s[6];
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
                    double ui = r[k] * (sign * g[i]);
                    double theta = p[i] * decay;
                    p[i] = theta + step * ui;
                }
            }
        }
    }

    static void vector(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] v = FusedKernels.doubles(t[2]);
        int o = t[0].offset();
        double sign = s[1] != 0 ? -1 : 1;
        double w = s[2];
        double e2 = s[4];
        double inf = Double.POSITIVE_INFINITY;
        double[] r = Scratch.doubles(Scratch.RECIPROCALS, FusedKernels.BLOCK);
        if (s[0] == 0) {
            double[] u = Scratch.doubles(Scratch.BLOCK, FusedKernels.BLOCK);
            double[] acc = Scratch.sums(2);
            for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
                int e = Math.min(b + FusedKernels.BLOCK, to + o);
                for (int i = b; i < e; i++) {
                    double d = sign * g[i];
                    v[i] = lerp(v[i], d * d, w);
                }
                for (int j = 0; j < e - b; j++) {
                    r[j] = Math.min(Math.max(v[b + j], e2), inf);
                }
                FusedKernels.reciprocalSqrt(r, e - b);
                for (int j = 0; j < e - b; j++) {
                    u[j] = r[j] * (sign * g[b + j]);
                }
                DoubleSum.squares(acc, 0, p, b, e - b);
                DoubleSum.squares(acc, 1, u, 0, e - b);
            }
            s[7] = DoubleSum.total(acc, 0);
            s[8] = DoubleSum.total(acc, 1);
            return;
        }
        double decay = s[5];
        double step = s[6];
        for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
            int e = Math.min(b + FusedKernels.BLOCK, to + o);
            for (int j = 0; j < e - b; j++) {
                r[j] = Math.min(Math.max(v[b + j], e2), inf);
            }
            FusedKernels.reciprocalSqrt(r, e - b);
            for (int j = 0; j < e - b; j++) {
                int i = b + j;
                double ui = r[j] * (sign * g[i]);
                double theta = p[i] * decay;
                p[i] = theta + step * ui;
            }
        }
    }
}
