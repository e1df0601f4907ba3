package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * FLOAT64 loops of the HF/fairseq Adafactor rules ADAFACTOR_FACTORED and ADAFACTOR_VECTOR (see
 * {@link dev.descent.tensor.FusedRule}), over elements [from, to) of the parameter. Each line repeats one
 * in-place operation of the optimizer's unfused path, with its scalar rounded to double as that kernel rounds
 * it; the means and sums go through {@link DoubleSum} (a row's mean, the mean of the row statistics, the sums of
 * squares) or double column accumulators ({@code ColumnSum}'s order), so that the phases that reduce run over
 * the whole tensor on one thread. The parameter is {@code [B, R, C]} ({@link Factored}); row statistics are
 * {@code [B, R]}, column statistics {@code [B, C]}. Reciprocal square roots go through
 * {@link FusedKernels#reciprocalSqrt} a block at a time.
 * {@code FloatAdafactorUpdates} is this file for FLOAT32, made by {@code gen-double-updates.sh}.
 */
final class DoubleAdafactorUpdates {
    private DoubleAdafactorUpdates() {
    }

    static void factored(Tensor[] t, double[] s, int from, int to) {
        if (s[0] == 0) {
            factoredStatistics(t, s);
            return;
        }
        int rows = Factored.rows(t[0]);
        int cols = Factored.cols(t[0]);
        int batches = Factored.batches(t[0]);
        double[] rf = Scratch.doubles(Scratch.ROW_FACTORS, rows * batches);
        double[] cf = Scratch.doubles(Scratch.COLUMN_FACTORS, cols * batches);
        factors(t, rows, cols, batches, rf, cf);
        if (s[0] == 1) {
            s[11] = updateSquares(t, rows, cols, batches, rf, cf);
        } else {
            factoredApply(t, s, rows, cols, rf, cf, from, to);
        }
    }

    /** Phase 0: the row and column means of g² + eps1 into the statistics; the sum of θ² into s[10]. */
    private static void factoredStatistics(Tensor[] t, double[] s) {
        double[] g = FusedKernels.doubles(t[1]);
        double[] row = FusedKernels.doubles(t[2]);
        double[] col = FusedKernels.doubles(t[3]);
        int o = t[0].offset();
        int ro = t[2].offset();
        int co = t[3].offset();
        double eps1 = s[1];
        double b2 = s[2];
        double w = s[3];
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
                        double xi = g[base + c] * g[base + c];
                        xi = xi + eps1;
                        x[c - c0] = xi;
                        cs[c] += xi;
                    }
                    DoubleSum.values(acc, 0, x, 0, c1 - c0);
                }
                if (column != null) {
                    column[r] = x[0];
                }
                double mean = DoubleSum.total(acc, 0);
                mean = mean / cn;
                int ri = ro + bb * rows + r;
                double decayed = row[ri] * b2;
                row[ri] = decayed + w * mean;
            }
            if (column != null) {
                cs[0] = blockedSum(column, rows, acc);
            }
            for (int c = 0; c < cols; c++) {
                double mean = cs[c];
                mean = mean / rn;
                int ci = co + bb * cols + c;
                double decayed = col[ci] * b2;
                col[ci] = decayed + w * mean;
            }
        }
        s[10] = squares(FusedKernels.doubles(t[0]), o, t[0].numel());
    }

    /** The sum of {@code x[o, o + n)} squared, as {@code t.square().sum()}. */
    static double squares(double[] x, int o, int n) {
        double[] acc = Scratch.sums(1);
        for (int b = 0; b < n; b += FusedKernels.BLOCK) {
            DoubleSum.squares(acc, 0, x, o + b, Math.min(FusedKernels.BLOCK, n - b));
        }
        return DoubleSum.total(acc, 0);
    }

    /** The sum of {@code x[0, n)} as the unfused reduction adds a contiguous run (clears slot 0 of acc). */
    static double blockedSum(double[] x, int n, double[] acc) {
        DoubleSum.clear(acc, 0);
        for (int b = 0; b < n; b += FusedKernels.BLOCK) {
            DoubleSum.values(acc, 0, x, b, Math.min(FusedKernels.BLOCK, n - b));
        }
        return DoubleSum.total(acc, 0);
    }

    /** {@code x[i] = rsqrt(x[i])} for i < n, as DoubleKernels' rsqrt, a block at a time. */
    static void reciprocalSqrt(double[] x, int n) {
        double[] r = Scratch.doubles(Scratch.RECIPROCALS, FusedKernels.BLOCK);
        for (int b = 0; b < n; b += FusedKernels.BLOCK) {
            int len = Math.min(FusedKernels.BLOCK, n - b);
            for (int j = 0; j < len; j++) {
                r[j] = x[b + j];
            }
            FusedKernels.reciprocalSqrt(r, len);
            for (int j = 0; j < len; j++) {
                x[b + j] = r[j];
            }
        }
    }

    /** {@code rsqrt(row / mean(row))} per row into rf, {@code rsqrt(col)} per column into cf. */
    private static void factors(Tensor[] t, int rows, int cols, int batches, double[] rf, double[] cf) {
        double[] row = FusedKernels.doubles(t[2]);
        double[] col = FusedKernels.doubles(t[3]);
        int ro = t[2].offset();
        int co = t[3].offset();
        double rn = rows;
        double[] acc = Scratch.sums(1);
        for (int bb = 0; bb < batches; bb++) {
            int first = ro + bb * rows;
            DoubleSum.clear(acc, 0);
            for (int r0 = 0; r0 < rows; r0 += FusedKernels.BLOCK) {
                DoubleSum.values(acc, 0, row, first + r0, Math.min(FusedKernels.BLOCK, rows - r0));
            }
            double mean = DoubleSum.total(acc, 0);
            mean = mean / rn;
            for (int r = 0; r < rows; r++) {
                rf[bb * rows + r] = row[first + r] / mean;
            }
        }
        reciprocalSqrt(rf, rows * batches);
        System.arraycopy(col, co, cf, 0, batches * cols);
        reciprocalSqrt(cf, batches * cols);
    }

    /** Phase 1: the sum of the squares of {@code u = rf cf g}, in blocks of the flattened tensor. */
    private static double updateSquares(Tensor[] t, int rows, int cols, int batches, double[] rf, double[] cf) {
        double[] g = FusedKernels.doubles(t[1]);
        int o = t[0].offset();
        double[] x = Scratch.doubles(Scratch.BLOCK, FusedKernels.BLOCK);
        double[] acc = Scratch.sums(1);
        int filled = 0;
        for (int q = 0; q < rows * batches; q++) {
            int base = o + q * cols;
            int cb = q / rows * cols;
            double rq = rf[q];
            for (int c = 0; c < cols; ) {
                int take = Math.min(cols - c, FusedKernels.BLOCK - filled);
                for (int k = 0; k < take; k++) {
                    double ui = rq * cf[cb + c + k];
                    x[filled + k] = ui * g[base + c + k];
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

    /** Phase 2: {@code u = rf cf g / clip * alpha}, the first moment, the decay and {@code θ −= u}. */
    private static void factoredApply(Tensor[] t, double[] s, int rows, int cols, double[] rf, double[] cf, int from,
                                      int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] m = FusedKernels.doubles(t[4]);
        int o = t[0].offset();
        double clip = s[4];
        double alpha = s[5];
        double b1 = s[6];
        double w1 = s[7];
        boolean decays = s[8] != 0;
        double decay = s[9];
        for (int q = from / cols; q * cols < to; q++) {
            int base = o + q * cols;
            int cb = q / rows * cols;
            double rq = rf[q];
            int c1 = Math.min(to - q * cols, cols);
            for (int c = Math.max(from - q * cols, 0); c < c1; c++) {
                int i = base + c;
                double ui = rq * cf[cb + c];
                ui = ui * g[i];
                ui = ui / clip;
                ui = ui * alpha;
                if (m != null) {
                    double mi = m[i] * b1;
                    mi = mi + w1 * ui;
                    m[i] = mi;
                    ui = mi;
                }
                double theta = p[i];
                if (decays) {
                    theta = theta + decay * theta;
                }
                p[i] = theta - ui;
            }
        }
    }

    static void vector(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] v = FusedKernels.doubles(t[2]);
        double[] m = FusedKernels.doubles(t[3]);
        int o = t[0].offset();
        double[] r = Scratch.doubles(Scratch.RECIPROCALS, FusedKernels.BLOCK);
        if (s[0] == 0) {
            double eps1 = s[1];
            double b2 = s[2];
            double w = s[3];
            double[] u = Scratch.doubles(Scratch.BLOCK, FusedKernels.BLOCK);
            double[] acc = Scratch.sums(2);
            for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
                int e = Math.min(b + FusedKernels.BLOCK, to + o);
                for (int i = b; i < e; i++) {
                    double xi = g[i] * g[i];
                    xi = xi + eps1;
                    double vi = v[i] * b2;
                    v[i] = vi + w * xi;
                }
                for (int j = 0; j < e - b; j++) {
                    r[j] = v[b + j];
                }
                FusedKernels.reciprocalSqrt(r, e - b);
                for (int j = 0; j < e - b; j++) {
                    u[j] = r[j] * g[b + j];
                }
                DoubleSum.squares(acc, 0, p, b, e - b);
                DoubleSum.squares(acc, 1, u, 0, e - b);
            }
            s[10] = DoubleSum.total(acc, 0);
            s[11] = DoubleSum.total(acc, 1);
            return;
        }
        double clip = s[4];
        double alpha = s[5];
        double b1 = s[6];
        double w1 = s[7];
        boolean decays = s[8] != 0;
        double decay = s[9];
        for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
            int e = Math.min(b + FusedKernels.BLOCK, to + o);
            for (int j = 0; j < e - b; j++) {
                r[j] = v[b + j];
            }
            FusedKernels.reciprocalSqrt(r, e - b);
            for (int j = 0; j < e - b; j++) {
                int i = b + j;
                double ui = r[j] * g[i];
                ui = ui / clip;
                ui = ui * alpha;
                if (m != null) {
                    double mi = m[i] * b1;
                    mi = mi + w1 * ui;
                    m[i] = mi;
                    ui = mi;
                }
                double theta = p[i];
                if (decays) {
                    theta = theta + decay * theta;
                }
                p[i] = theta - ui;
            }
        }
    }
}
