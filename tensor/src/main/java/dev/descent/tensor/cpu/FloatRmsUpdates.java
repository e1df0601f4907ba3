package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * FLOAT32 loops of the fused rules RMSPROP, ADAGRAD and ADADELTA (see {@link dev.descent.tensor.FusedRule}),
 * over elements [from, to), each line one in-place operation of the unfused path with its scalar rounded to
 * float. {@code DoubleRmsUpdates} is this file for FLOAT64, made by {@code gen-double-updates.sh}.
 */
final class FloatRmsUpdates {
    private FloatRmsUpdates() {
    }

    static void rmsprop(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] sq = FusedKernels.floats(t[2]);
        float[] ga = FusedKernels.floats(t[3]);
        float[] b = FusedKernels.floats(t[4]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        float wd = (float) s[1];
        float alpha = (float) s[2];
        float w = (float) s[3];
        float eps = (float) s[4];
        float mu = (float) s[5];
        float step = (float) s[6];
        for (int i = from + o; i < to + o; i++) {
            float theta = p[i];
            float d = maximize ? -g[i] : g[i];
            if (l2) {
                d = d + wd * theta;
            }
            float v = sq[i] * alpha;
            v = v + w * d * d;
            sq[i] = v;
            float den;
            if (ga != null) {
                float mean = ga[i] * alpha;
                mean = mean + w * d;
                ga[i] = mean;
                den = v + -1f * mean * mean;
                den = (float) Math.sqrt(den);
            } else {
                den = (float) Math.sqrt(v);
            }
            den = den + eps;
            if (b != null) {
                float bi = b[i] * mu;
                bi = bi + 1f * d / den;
                b[i] = bi;
                p[i] = theta + step * bi;
            } else {
                p[i] = theta + step * d / den;
            }
        }
    }

    static void adagrad(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] sum = FusedKernels.floats(t[2]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        float wd = (float) s[1];
        float eps = (float) s[2];
        float step = (float) s[3];
        for (int i = from + o; i < to + o; i++) {
            float theta = p[i];
            float d = maximize ? -g[i] : g[i];
            if (l2) {
                d = d + wd * theta;
            }
            float acc = sum[i] + 1f * d * d;
            sum[i] = acc;
            float den = (float) Math.sqrt(acc);
            den = den + eps;
            p[i] = theta + step * d / den;
        }
    }

    static void adadelta(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] sq = FusedKernels.floats(t[2]);
        float[] acc = FusedKernels.floats(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        float wd = (float) s[1];
        float rho = (float) s[2];
        float w = (float) s[3];
        float eps = (float) s[4];
        float step = (float) s[5];
        for (int i = from + o; i < to + o; i++) {
            float theta = p[i];
            float d = maximize ? -g[i] : g[i];
            if (l2) {
                d = d + wd * theta;
            }
            float v = sq[i] * rho;
            v = v + w * d * d;
            sq[i] = v;
            float a = acc[i];
            float delta = a + eps;
            delta = (float) Math.sqrt(delta);
            float rms = v + eps;
            rms = (float) Math.sqrt(rms);
            delta = delta / rms;
            delta = delta * d;
            a = a * rho;
            acc[i] = a + w * delta * delta;
            p[i] = theta + step * delta;
        }
    }
}
