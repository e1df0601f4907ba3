package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * FLOAT64 loops of the fused rules that need whole-tensor norms: LAMB_MOMENTS, LAMB_APPLY, SQUARED_NORMS,
 * KOALA_PREDICT and KOALA_APPLY (see {@link dev.descent.tensor.FusedRule}), over elements [from, to). Each line
 * repeats one in-place operation of the optimizer's unfused path, with its scalar rounded to double as that
 * kernel rounds it; the sums go block by block through {@link DoubleSum}, in the order of the tensor reduction
 * they replace, so the rules that output sums run over the whole tensor on one thread. Per block, the values to
 * sum go to a scratch block in a loop of their own: HotSpot (JDK 17) vectorises a loop only when it indexes
 * every array it writes and reads with one index, so LAMB's update is computed from copies of the moments'
 * block (3.0 ns per element computed from the tensors at another index, 0.9 ns from the copies).
 * {@code FloatNormUpdates} is this file for FLOAT32, made by {@code gen-double-updates.sh}.
 */
final class DoubleNormUpdates {
    private DoubleNormUpdates() {
    }

    static void lambMoments(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] m = FusedKernels.doubles(t[2]);
        double[] v = FusedKernels.doubles(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        double b1 = s[0];
        double w1 = s[1];
        double b2 = s[2];
        double w2 = s[3];
        double bc1 = s[4];
        double bc2 = s[5];
        double eps = s[6];
        boolean decays = s[7] != 0;
        double wd = s[7];
        double[] u = Scratch.doubles(Scratch.BLOCK, FusedKernels.BLOCK);
        double[] w = Scratch.doubles(Scratch.SECOND_BLOCK, FusedKernels.BLOCK);
        double[] acc = Scratch.sums(2);
        for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
            int e = Math.min(b + FusedKernels.BLOCK, to + o);
            for (int i = b; i < e; i++) {
                double mi = m[i] * b1;
                mi = mi + w1 * g[i];
                double vi = v[i] * b2;
                vi = vi + w2 * g[i] * g[i];
                m[i] = mi;
                v[i] = vi;
            }
            // the update from copies of the moments, so that its loop indexes every array with one index
            int len = e - b;
            System.arraycopy(v, b, w, 0, len);
            System.arraycopy(m, b, u, 0, len);
            for (int j = 0; j < len; j++) {
                double den = w[j] / bc2;
                den = Math.sqrt(den);
                den = den + eps;
                double ui = u[j] / bc1;
                u[j] = ui / den;
            }
            if (decays) {
                System.arraycopy(p, b, w, 0, len);
                for (int j = 0; j < len; j++) {
                    u[j] = u[j] + wd * w[j];
                }
            }
            DoubleSum.squares(acc, 0, p, b, e - b);
            DoubleSum.squares(acc, 1, u, 0, e - b);
        }
        s[8] = DoubleSum.total(acc, 0);
        s[9] = DoubleSum.total(acc, 1);
    }

    static void lambApply(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] m = FusedKernels.doubles(t[1]);
        double[] v = FusedKernels.doubles(t[2]);
        int o = t[0].offset();
        double bc1 = s[0];
        double bc2 = s[1];
        double eps = s[2];
        boolean decays = s[3] != 0;
        double wd = s[3];
        double step = s[4];
        for (int i = from + o; i < to + o; i++) {
            double den = v[i] / bc2;
            den = Math.sqrt(den);
            den = den + eps;
            double ui = m[i] / bc1;
            ui = ui / den;
            double theta = p[i];
            if (decays) {
                ui = ui + wd * theta;
            }
            p[i] = theta + step * ui;
        }
    }

    static void koalaNorms(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        int o = t[0].offset();
        double wd = s[0];
        double[] h = Scratch.doubles(Scratch.BLOCK, FusedKernels.BLOCK);
        double[] acc = Scratch.sums(3);
        for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
            int e = Math.min(b + FusedKernels.BLOCK, to + o);
            for (int j = 0; j < e - b; j++) {
                h[j] = g[b + j] + wd * p[b + j];
            }
            DoubleSum.squares(acc, 0, g, b, e - b);
            DoubleSum.squares(acc, 1, h, 0, e - b);
            DoubleSum.squares(acc, 2, p, b, e - b);
        }
        s[1] = DoubleSum.total(acc, 0);
        s[2] = DoubleSum.total(acc, 1);
        s[3] = DoubleSum.total(acc, 2);
    }

    static void koalaPredict(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] u = FusedKernels.doubles(t[1]);
        double[] avg = FusedKernels.doubles(t[2]);
        int o = t[0].offset();
        double a = s[0];
        double[] d = Scratch.doubles(Scratch.BLOCK, FusedKernels.BLOCK);
        double[] acc = Scratch.sums(1);
        for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
            int e = Math.min(b + FusedKernels.BLOCK, to + o);
            for (int j = 0; j < e - b; j++) {
                d[j] = avg[b + j] - p[b + j];
            }
            for (int i = b; i < e; i++) {
                double ui = u[i];
                p[i] = p[i] + ui;
                u[i] = ui * a;
            }
            DoubleSum.squares(acc, 0, d, 0, e - b);
        }
        s[1] = DoubleSum.total(acc, 0);
    }

    static void koalaApply(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] u = FusedKernels.doubles(t[2]);
        double[] avg = FusedKernels.doubles(t[3]);
        int o = t[0].offset();
        double wd = s[0];
        double k1 = s[1];
        double k2 = s[2];
        double keep = s[3];
        double weight = s[4];
        for (int i = from + o; i < to + o; i++) {
            double h = g[i] + wd * p[i];
            double theta = p[i] + k1 * h;
            p[i] = theta;
            u[i] = u[i] + k2 * h;
            double ai = avg[i] * keep;
            avg[i] = ai + weight * theta;
        }
    }
}
