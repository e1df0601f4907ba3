package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * FLOAT32 loops of the HF/fairseq Adafactor rules ADAFACTOR_FACTORED and ADAFACTOR_VECTOR (see
 * {@link dev.descent.tensor.FusedRule}), over elements [from, to) of the parameter. Each line repeats one
 * in-place operation of the optimizer's unfused path, with its scalar rounded to float as that kernel rounds
 * it; the means and sums go through {@link FloatSum} (a row's mean, the mean of the row statistics, the sums of
 * squares) or double column accumulators ({@code ColumnSum}'s order), so that the phases that reduce run over
 * the whole tensor on one thread. The parameter is {@code [B, R, C]} ({@link Factored}); row statistics are
 * {@code [B, R]}, column statistics {@code [B, C]}. Reciprocal square roots go through
 * {@link FusedKernels#reciprocalSqrt} a block at a time.
 * {@code DoubleAdafactorUpdates} is this file for FLOAT64, made by {@code gen-double-updates.sh}.
 */
final class FloatAdafactorUpdates {
    private FloatAdafactorUpdates() {
    }

    static void factored(Tensor[] t, double[] s, int from, int to) {
        if (s[0] == 0) {
            factoredStatistics(t, s);
            return;
        }
        int rows = Factored.rows(t[0]);
        int cols = Factored.cols(t[0]);
        int batches = Factored.batches(t[0]);
        float[] rf = Scratch.floats(Scratch.ROW_FACTORS, rows * batches);
        float[] cf = Scratch.floats(Scratch.COLUMN_FACTORS, cols * batches);
        factors(t, rows, cols, batches, rf, cf);
        if (s[0] == 1) {
            s[11] = updateSquares(t, rows, cols, batches, rf, cf);
        } else {
            factoredApply(t, s, rows, cols, rf, cf, from, to);
        }
    }

    /** Phase 0: the row and column means of g² + eps1 into the statistics; the sum of θ² into s[10]. */
    private static void factoredStatistics(Tensor[] t, double[] s) {
        float[] g = FusedKernels.floats(t[1]);
        float[] row = FusedKernels.floats(t[2]);
        float[] col = FusedKernels.floats(t[3]);
        int o = t[0].offset();
        int ro = t[2].offset();
        int co = t[3].offset();
        float eps1 = (float) s[1];
        float b2 = (float) s[2];
        float w = (float) s[3];
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
                        float xi = g[base + c] * g[base + c];
                        xi = xi + eps1;
                        x[c - c0] = xi;
                        cs[c] += xi;
                    }
                    FloatSum.values(acc, 0, x, 0, c1 - c0);
                }
                if (column != null) {
                    column[r] = x[0];
                }
                float mean = (float) FloatSum.total(acc, 0);
                mean = mean / cn;
                int ri = ro + bb * rows + r;
                float decayed = row[ri] * b2;
                row[ri] = decayed + w * mean;
            }
            if (column != null) {
                cs[0] = blockedSum(column, rows, acc);
            }
            for (int c = 0; c < cols; c++) {
                float mean = (float) cs[c];
                mean = mean / rn;
                int ci = co + bb * cols + c;
                float decayed = col[ci] * b2;
                col[ci] = decayed + w * mean;
            }
        }
        s[10] = squares(FusedKernels.floats(t[0]), o, t[0].numel());
    }

    /** The sum of {@code x[o, o + n)} squared, as {@code t.square().sum()}. */
    static double squares(float[] x, int o, int n) {
        double[] acc = Scratch.sums(1);
        for (int b = 0; b < n; b += FusedKernels.BLOCK) {
            FloatSum.squares(acc, 0, x, o + b, Math.min(FusedKernels.BLOCK, n - b));
        }
        return FloatSum.total(acc, 0);
    }

    /** The sum of {@code x[0, n)} as the unfused reduction adds a contiguous run (clears slot 0 of acc). */
    static double blockedSum(float[] x, int n, double[] acc) {
        FloatSum.clear(acc, 0);
        for (int b = 0; b < n; b += FusedKernels.BLOCK) {
            FloatSum.values(acc, 0, x, b, Math.min(FusedKernels.BLOCK, n - b));
        }
        return FloatSum.total(acc, 0);
    }

    /** {@code x[i] = rsqrt(x[i])} for i < n, as FloatKernels' rsqrt, a block at a time. */
    static void reciprocalSqrt(float[] x, int n) {
        double[] r = Scratch.doubles(Scratch.RECIPROCALS, FusedKernels.BLOCK);
        for (int b = 0; b < n; b += FusedKernels.BLOCK) {
            int len = Math.min(FusedKernels.BLOCK, n - b);
            for (int j = 0; j < len; j++) {
                r[j] = x[b + j];
            }
            FusedKernels.reciprocalSqrt(r, len);
            for (int j = 0; j < len; j++) {
                x[b + j] = (float) r[j];
            }
        }
    }

    /** {@code rsqrt(row / mean(row))} per row into rf, {@code rsqrt(col)} per column into cf. */
    private static void factors(Tensor[] t, int rows, int cols, int batches, float[] rf, float[] cf) {
        float[] row = FusedKernels.floats(t[2]);
        float[] col = FusedKernels.floats(t[3]);
        int ro = t[2].offset();
        int co = t[3].offset();
        float rn = rows;
        double[] acc = Scratch.sums(1);
        for (int bb = 0; bb < batches; bb++) {
            int first = ro + bb * rows;
            FloatSum.clear(acc, 0);
            for (int r0 = 0; r0 < rows; r0 += FusedKernels.BLOCK) {
                FloatSum.values(acc, 0, row, first + r0, Math.min(FusedKernels.BLOCK, rows - r0));
            }
            float mean = (float) FloatSum.total(acc, 0);
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
    private static double updateSquares(Tensor[] t, int rows, int cols, int batches, float[] rf, float[] cf) {
        float[] g = FusedKernels.floats(t[1]);
        int o = t[0].offset();
        float[] x = Scratch.floats(Scratch.BLOCK, FusedKernels.BLOCK);
        double[] acc = Scratch.sums(1);
        int filled = 0;
        for (int q = 0; q < rows * batches; q++) {
            int base = o + q * cols;
            int cb = q / rows * cols;
            float rq = rf[q];
            for (int c = 0; c < cols; ) {
                int take = Math.min(cols - c, FusedKernels.BLOCK - filled);
                for (int k = 0; k < take; k++) {
                    float ui = rq * cf[cb + c + k];
                    x[filled + k] = ui * g[base + c + k];
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

    /** Phase 2: {@code u = rf cf g / clip * alpha}, the first moment, the decay and {@code θ −= u}. */
    private static void factoredApply(Tensor[] t, double[] s, int rows, int cols, float[] rf, float[] cf, int from,
                                      int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] m = FusedKernels.floats(t[4]);
        int o = t[0].offset();
        float clip = (float) s[4];
        float alpha = (float) s[5];
        float b1 = (float) s[6];
        float w1 = (float) s[7];
        boolean decays = s[8] != 0;
        float decay = (float) s[9];
        for (int q = from / cols; q * cols < to; q++) {
            int base = o + q * cols;
            int cb = q / rows * cols;
            float rq = rf[q];
            int c1 = Math.min(to - q * cols, cols);
            for (int c = Math.max(from - q * cols, 0); c < c1; c++) {
                int i = base + c;
                float ui = rq * cf[cb + c];
                ui = ui * g[i];
                ui = ui / clip;
                ui = ui * alpha;
                if (m != null) {
                    float mi = m[i] * b1;
                    mi = mi + w1 * ui;
                    m[i] = mi;
                    ui = mi;
                }
                float theta = p[i];
                if (decays) {
                    theta = theta + decay * theta;
                }
                p[i] = theta - ui;
            }
        }
    }

    static void vector(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] v = FusedKernels.floats(t[2]);
        float[] m = FusedKernels.floats(t[3]);
        int o = t[0].offset();
        double[] r = Scratch.doubles(Scratch.RECIPROCALS, FusedKernels.BLOCK);
        if (s[0] == 0) {
            float eps1 = (float) s[1];
            float b2 = (float) s[2];
            float w = (float) s[3];
            float[] u = Scratch.floats(Scratch.BLOCK, FusedKernels.BLOCK);
            double[] acc = Scratch.sums(2);
            for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
                int e = Math.min(b + FusedKernels.BLOCK, to + o);
                for (int i = b; i < e; i++) {
                    float xi = g[i] * g[i];
                    xi = xi + eps1;
                    float vi = v[i] * b2;
                    v[i] = vi + w * xi;
                }
                for (int j = 0; j < e - b; j++) {
                    r[j] = v[b + j];
                }
                FusedKernels.reciprocalSqrt(r, e - b);
                for (int j = 0; j < e - b; j++) {
                    u[j] = (float) r[j] * g[b + j];
                }
                FloatSum.squares(acc, 0, p, b, e - b);
                FloatSum.squares(acc, 1, u, 0, e - b);
            }
            s[10] = FloatSum.total(acc, 0);
            s[11] = FloatSum.total(acc, 1);
            return;
        }
        float clip = (float) s[4];
        float alpha = (float) s[5];
        float b1 = (float) s[6];
        float w1 = (float) s[7];
        boolean decays = s[8] != 0;
        float decay = (float) s[9];
        for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
            int e = Math.min(b + FusedKernels.BLOCK, to + o);
            for (int j = 0; j < e - b; j++) {
                r[j] = v[b + j];
            }
            FusedKernels.reciprocalSqrt(r, e - b);
            for (int j = 0; j < e - b; j++) {
                int i = b + j;
                float ui = (float) r[j] * g[i];
                ui = ui / clip;
                ui = ui * alpha;
                if (m != null) {
                    float mi = m[i] * b1;
                    mi = mi + w1 * ui;
                    m[i] = mi;
                    ui = mi;
                }
                float theta = p[i];
                if (decays) {
                    theta = theta + decay * theta;
                }
                p[i] = theta - ui;
            }
        }
    }
}
