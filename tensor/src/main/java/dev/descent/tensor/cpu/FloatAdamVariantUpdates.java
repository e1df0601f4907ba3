package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * FLOAT32 loops of the fused rules DIFFGRAD, ADAN and PADAMW (see {@link dev.descent.tensor.FusedRule}), over
 * elements [from, to), each line one in-place operation of the unfused path with its scalar rounded to
 * float. {@code DoubleAdamVariantUpdates} is this file for FLOAT64, made by {@code gen-double-updates.sh}.
 */
final class FloatAdamVariantUpdates {
    private FloatAdamVariantUpdates() {
    }

    static void diffgrad(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] m = FusedKernels.floats(t[2]);
        float[] v = FusedKernels.floats(t[3]);
        float[] prev = FusedKernels.floats(t[4]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean l2 = s[0] != 0;
        float wd = (float) s[0];
        float b1 = (float) s[1];
        float w1 = (float) s[2];
        float b2 = (float) s[3];
        float w2 = (float) s[4];
        boolean paperEpsilon = s[5] != 0;
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
            float vi = v[i] * b2;
            vi = vi + w2 * d * d;
            float friction = prev[i] - d;
            friction = Math.abs(friction);
            friction = (float) Scalar.sigmoid(friction);
            prev[i] = d;
            float damped = mi * friction;
            float den = (float) Math.sqrt(vi);
            if (paperEpsilon) {
                den = den / bc2;
            }
            den = den + eps;
            m[i] = mi;
            v[i] = vi;
            p[i] = theta + step * damped / den;
        }
    }

    static void adan(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] m = FusedKernels.floats(t[2]);
        float[] n = FusedKernels.floats(t[3]);
        float[] v = FusedKernels.floats(t[4]);
        float[] neg = FusedKernels.floats(t[5]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean seed = s[0] != 0;
        float clip = (float) s[1];
        float b1 = (float) s[2];
        float w1 = (float) s[3];
        float b2 = (float) s[4];
        float w2 = (float) s[5];
        float b3 = (float) s[6];
        float w3 = (float) s[7];
        float bc3 = (float) s[8];
        float eps = (float) s[9];
        boolean noProx = s[10] != 0;
        float decay = (float) s[11];
        float step = (float) s[12];
        float stepDiff = (float) s[13];
        // two loops per block of one cache's worth: one loop of both bodies is too large for HotSpot to unroll and
        // vectorise (3.6 against 0.9 ns per element in cache); the second reads back what the first wrote, in cache
        for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
            int e = Math.min(b + FusedKernels.BLOCK, to + o);
            for (int i = b; i < e; i++) {
                float gi = g[i];
                float q = seed ? -gi * clip : neg[i];
                gi = gi * clip;
                g[i] = gi;
                q = q + gi;
                float mi = m[i] * b1;
                m[i] = mi + w1 * gi;
                float vi = v[i] * b2;
                v[i] = vi + w2 * q;
                q = q * b2;
                q = q + gi;
                float ni = n[i] * b3;
                n[i] = ni + w3 * q * q;
                neg[i] = 0f + -1f * gi;
            }
            for (int i = b; i < e; i++) {
                float den = (float) Math.sqrt(n[i]);
                den = den / bc3;
                den = den + eps;
                float theta = p[i];
                if (noProx) {
                    theta = theta * decay;
                }
                theta = theta + step * m[i] / den;
                theta = theta + stepDiff * v[i] / den;
                if (!noProx) {
                    theta = theta / decay;
                }
                p[i] = theta;
            }
        }
    }

    static void padamw(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] m = FusedKernels.floats(t[2]);
        float[] v = FusedKernels.floats(t[3]);
        float[] x = FusedKernels.floats(t[4]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        float decay = (float) s[0];
        boolean l2 = s[1] != 0;
        float wd = (float) s[1];
        float b1 = (float) s[2];
        float w1 = (float) s[3];
        float b2 = (float) s[4];
        float w2 = (float) s[5];
        float eps = (float) s[6];
        float exponent = (float) s[7];
        float step = (float) s[8];
        for (int i = from + o; i < to + o; i++) {
            float theta = p[i];
            float d = g[i];
            if (l2) {
                d = d + wd * theta;
            } else {
                theta = theta * decay;
            }
            float mi = m[i] * b1;
            mi = mi + w1 * d;
            float vi = v[i] * b2;
            vi = vi + w2 * d * d;
            float second = vi;
            if (x != null) {
                second = Math.max(x[i], vi);
                x[i] = second;
            }
            float den = (float) Math.sqrt(second);
            den = den + eps;
            // Tensor.pow's kernel squares exactly for exponent 2
            den = exponent == 2 ? den * den : (float) Math.pow(den, exponent);
            m[i] = mi;
            v[i] = vi;
            p[i] = theta + step * mi / den;
        }
    }
}
