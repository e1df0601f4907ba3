package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * FLOAT32 loops of the fused momentum rules PNM, ADAPNM, SIGN and GENERALIZED_SIGN (see
 * {@link dev.descent.tensor.FusedRule}), over elements [from, to), each line one in-place operation of the
 * unfused path with its scalar rounded to float. {@code DoubleMomentumUpdates} is this file for FLOAT64, made
 * by {@code gen-double-updates.sh}.
 */
final class FloatMomentumUpdates {
    private FloatMomentumUpdates() {
    }

    static void pnm(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] pos = FusedKernels.floats(t[2]);
        float[] neg = FusedKernels.floats(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        float decay = (float) s[0];
        boolean l2 = s[1] != 0;
        float wd = (float) s[1];
        float beta = (float) s[2];
        float w = (float) s[3];
        float plus = (float) s[4];
        float minus = (float) s[5];
        float norm = (float) s[6];
        float step = (float) s[7];
        for (int i = from + o; i < to + o; i++) {
            float theta = p[i];
            float d = g[i];
            if (l2) {
                d = d + wd * theta;
            } else {
                theta = theta * decay;
            }
            float a = pos[i] * beta;
            a = a + w * d;
            pos[i] = a;
            float delta = a * plus;
            delta = delta + minus * neg[i];
            delta = delta * norm;
            p[i] = theta + step * delta;
        }
    }

    static void adapnm(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] pos = FusedKernels.floats(t[2]);
        float[] neg = FusedKernels.floats(t[3]);
        float[] v = FusedKernels.floats(t[4]);
        float[] x = FusedKernels.floats(t[5]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        float decay = (float) s[0];
        boolean l2 = s[1] != 0;
        float wd = (float) s[1];
        float beta = (float) s[2];
        float w = (float) s[3];
        float b2 = (float) s[4];
        float w2 = (float) s[5];
        float bc2 = (float) s[6];
        float eps = (float) s[7];
        float plus = (float) s[8];
        float minus = (float) s[9];
        float norm = (float) s[10];
        float step = (float) s[11];
        // two loops per block, as FloatAdamVariantUpdates.adan: one loop of both bodies is not vectorised
        for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
            int e = Math.min(b + FusedKernels.BLOCK, to + o);
            for (int i = b; i < e; i++) {
                float d = g[i];
                if (l2) {
                    d = d + wd * p[i];
                }
                float a = pos[i] * beta;
                pos[i] = a + w * d;
                float vi = v[i] * b2;
                vi = vi + w2 * d * d;
                v[i] = vi;
                if (x != null) {
                    x[i] = Math.max(x[i], vi);
                }
            }
            for (int i = b; i < e; i++) {
                float theta = p[i];
                if (!l2) {
                    theta = theta * decay;
                }
                float den = (float) Math.sqrt(x != null ? x[i] : v[i]);
                den = den / bc2;
                den = den + eps;
                float pn = pos[i] * plus;
                pn = pn + minus * neg[i];
                pn = pn * norm;
                p[i] = theta + step * pn / den;
            }
        }
    }

    static void sign(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] m = FusedKernels.floats(t[2]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        float wd = (float) s[1];
        float decay = (float) s[2];
        float beta = (float) s[3];
        float w = (float) s[4];
        float step = (float) s[5];
        for (int i = from + o; i < to + o; i++) {
            float theta = p[i];
            float d = maximize ? -g[i] : g[i];
            if (l2) {
                d = d + wd * theta;
            } else {
                theta = theta * decay;
            }
            if (m != null) {
                float mi = m[i] * beta;
                mi = mi + w * d;
                m[i] = mi;
                d = mi;
            }
            p[i] = theta + step * FusedKernels.sign(d);
        }
    }

    static void generalizedSign(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] m = FusedKernels.floats(t[2]);
        float[] v = FusedKernels.floats(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean l2 = s[0] != 0;
        float wd = (float) s[0];
        float b1 = (float) s[1];
        float w1 = (float) s[2];
        float bc1 = (float) s[3];
        float b2 = (float) s[4];
        float w2 = (float) s[5];
        float bc2 = (float) s[6];
        float eps = (float) s[7];
        float step = (float) s[8];
        for (int i = from + o; i < to + o; i++) {
            float theta = p[i];
            float d = g[i];
            if (l2) {
                d = d + wd * theta;
            }
            float mi = m[i] * b1;
            mi = mi + w1 * d;
            float scaled = mi / bc1;
            float vi = v[i] * b2;
            vi = vi + w2 * mi * mi;
            float den = vi / bc2;
            den = (float) Math.sqrt(den);
            den = den + eps;
            m[i] = mi;
            v[i] = vi;
            p[i] = theta + step * scaled / den;
        }
    }
}
