package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * FLOAT32 loops of the fused rules that need whole-tensor norms: LAMB_MOMENTS, LAMB_APPLY, SQUARED_NORMS,
 * KOALA_PREDICT and KOALA_APPLY (see {@link dev.descent.tensor.FusedRule}), over elements [from, to). Each line
 * repeats one in-place operation of the optimizer's unfused path, with its scalar rounded to float as that
 * kernel rounds it; the sums go block by block through {@link FloatSum}, in the order of the tensor reduction
 * they replace, so the rules that output sums run over the whole tensor on one thread. Per block, the values to
 * sum go to a scratch block in a loop of their own: HotSpot (JDK 17) vectorises a loop only when it indexes
 * every array it writes and reads with one index, so LAMB's update is computed from copies of the moments'
 * block (3.0 ns per element computed from the tensors at another index, 0.9 ns from the copies).
 * {@code DoubleNormUpdates} is this file for FLOAT64, made by {@code gen-double-updates.sh}.
 */
final class FloatNormUpdates {
    private FloatNormUpdates() {
    }

    static void lambMoments(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] m = FusedKernels.floats(t[2]);
        float[] v = FusedKernels.floats(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        float b1 = (float) s[0];
        float w1 = (float) s[1];
        float b2 = (float) s[2];
        float w2 = (float) s[3];
        float bc1 = (float) s[4];
        float bc2 = (float) s[5];
        float eps = (float) s[6];
        boolean decays = s[7] != 0;
        float wd = (float) s[7];
        float[] u = Scratch.floats(Scratch.BLOCK, FusedKernels.BLOCK);
        float[] w = Scratch.floats(Scratch.SECOND_BLOCK, FusedKernels.BLOCK);
        double[] acc = Scratch.sums(2);
        for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
            int e = Math.min(b + FusedKernels.BLOCK, to + o);
            for (int i = b; i < e; i++) {
                float mi = m[i] * b1;
                mi = mi + w1 * g[i];
                float vi = v[i] * b2;
                vi = vi + w2 * g[i] * g[i];
                m[i] = mi;
                v[i] = vi;
            }
            // the update from copies of the moments, so that its loop indexes every array with one index
            int len = e - b;
            System.arraycopy(v, b, w, 0, len);
            System.arraycopy(m, b, u, 0, len);
            for (int j = 0; j < len; j++) {
                float den = w[j] / bc2;
                den = (float) Math.sqrt(den);
                den = den + eps;
                float ui = u[j] / bc1;
                u[j] = ui / den;
            }
            if (decays) {
                System.arraycopy(p, b, w, 0, len);
                for (int j = 0; j < len; j++) {
                    u[j] = u[j] + wd * w[j];
                }
            }
            FloatSum.squares(acc, 0, p, b, e - b);
            FloatSum.squares(acc, 1, u, 0, e - b);
        }
        s[8] = FloatSum.total(acc, 0);
        s[9] = FloatSum.total(acc, 1);
    }

    static void lambApply(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] m = FusedKernels.floats(t[1]);
        float[] v = FusedKernels.floats(t[2]);
        int o = t[0].offset();
        float bc1 = (float) s[0];
        float bc2 = (float) s[1];
        float eps = (float) s[2];
        boolean decays = s[3] != 0;
        float wd = (float) s[3];
        float step = (float) s[4];
        for (int i = from + o; i < to + o; i++) {
            float den = v[i] / bc2;
            den = (float) Math.sqrt(den);
            den = den + eps;
            float ui = m[i] / bc1;
            ui = ui / den;
            float theta = p[i];
            if (decays) {
                ui = ui + wd * theta;
            }
            p[i] = theta + step * ui;
        }
    }

    static void koalaNorms(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        int o = t[0].offset();
        float wd = (float) s[0];
        float[] h = Scratch.floats(Scratch.BLOCK, FusedKernels.BLOCK);
        double[] acc = Scratch.sums(3);
        for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
            int e = Math.min(b + FusedKernels.BLOCK, to + o);
            for (int j = 0; j < e - b; j++) {
                h[j] = g[b + j] + wd * p[b + j];
            }
            FloatSum.squares(acc, 0, g, b, e - b);
            FloatSum.squares(acc, 1, h, 0, e - b);
            FloatSum.squares(acc, 2, p, b, e - b);
        }
        s[1] = FloatSum.total(acc, 0);
        s[2] = FloatSum.total(acc, 1);
        s[3] = FloatSum.total(acc, 2);
    }

    static void koalaPredict(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] u = FusedKernels.floats(t[1]);
        float[] avg = FusedKernels.floats(t[2]);
        int o = t[0].offset();
        float a = (float) s[0];
        float[] d = Scratch.floats(Scratch.BLOCK, FusedKernels.BLOCK);
        double[] acc = Scratch.sums(1);
        for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
            int e = Math.min(b + FusedKernels.BLOCK, to + o);
            for (int j = 0; j < e - b; j++) {
                d[j] = avg[b + j] - p[b + j];
            }
            for (int i = b; i < e; i++) {
                float ui = u[i];
                p[i] = p[i] + ui;
                u[i] = ui * a;
            }
            FloatSum.squares(acc, 0, d, 0, e - b);
        }
        s[1] = FloatSum.total(acc, 0);
    }

    static void koalaApply(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] u = FusedKernels.floats(t[2]);
        float[] avg = FusedKernels.floats(t[3]);
        int o = t[0].offset();
        float wd = (float) s[0];
        float k1 = (float) s[1];
        float k2 = (float) s[2];
        float keep = (float) s[3];
        float weight = (float) s[4];
        for (int i = from + o; i < to + o; i++) {
            float h = g[i] + wd * p[i];
            float theta = p[i] + k1 * h;
            p[i] = theta;
            u[i] = u[i] + k2 * h;
            float ai = avg[i] * keep;
            avg[i] = ai + weight * theta;
        }
    }
}
