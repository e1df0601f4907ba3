package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * FLOAT64 loops of the fused rules DIFFGRAD, ADAN and PADAMW (see {@link dev.descent.tensor.FusedRule}), over
 * elements [from, to), each line one in-place operation of the unfused path with its scalar rounded to
 * double. {@code FloatAdamVariantUpdates} is this file for FLOAT32, made by {@code gen-double-updates.sh}.
 */
final class DoubleAdamVariantUpdates {
    private DoubleAdamVariantUpdates() {
    }

    static void diffgrad(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] m = FusedKernels.doubles(t[2]);
        double[] v = FusedKernels.doubles(t[3]);
        double[] prev = FusedKernels.doubles(t[4]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean l2 = s[0] != 0;
        double wd = s[0];
        double b1 = s[1];
        double w1 = s[2];
        double b2 = s[3];
        double w2 = s[4];
        boolean paperEpsilon = s[5] != 0;
        double bc2 = s[6];
        double eps = s[7];
        double step = s[8];
        for (int i = from + o; i < to + o; i++) {
            double theta = p[i];
            double d = g[i];
            if (l2) {
                d = d + wd * theta;
            }
            double mi = m[i] * b1;
            mi = mi + w1 * d;
            double vi = v[i] * b2;
            vi = vi + w2 * d * d;
            double friction = prev[i] - d;
            friction = Math.abs(friction);
            friction = Scalar.sigmoid(friction);
            prev[i] = d;
            double damped = mi * friction;
            double den = Math.sqrt(vi);
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
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] m = FusedKernels.doubles(t[2]);
        double[] n = FusedKernels.doubles(t[3]);
        double[] v = FusedKernels.doubles(t[4]);
        double[] neg = FusedKernels.doubles(t[5]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean seed = s[0] != 0;
        double clip = s[1];
        double b1 = s[2];
        double w1 = s[3];
        double b2 = s[4];
        double w2 = s[5];
        double b3 = s[6];
        double w3 = s[7];
        double bc3 = s[8];
        double eps = s[9];
        boolean noProx = s[10] != 0;
        double decay = s[11];
        double step = s[12];
        double stepDiff = s[13];
        // two loops per block of one cache's worth: one loop of both bodies is too large for HotSpot to unroll and
        // vectorise (3.6 against 0.9 ns per element in cache); the second reads back what the first wrote, in cache
        for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
            int e = Math.min(b + FusedKernels.BLOCK, to + o);
            for (int i = b; i < e; i++) {
                double gi = g[i];
                double q = seed ? -gi * clip : neg[i];
                gi = gi * clip;
                g[i] = gi;
                q = q + gi;
                double mi = m[i] * b1;
                m[i] = mi + w1 * gi;
                double vi = v[i] * b2;
                v[i] = vi + w2 * q;
                q = q * b2;
                q = q + gi;
                double ni = n[i] * b3;
                n[i] = ni + w3 * q * q;
                neg[i] = 0.0 + -1.0 * gi;
            }
            for (int i = b; i < e; i++) {
                double den = Math.sqrt(n[i]);
                den = den / bc3;
                den = den + eps;
                double theta = p[i];
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
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] m = FusedKernels.doubles(t[2]);
        double[] v = FusedKernels.doubles(t[3]);
        double[] x = FusedKernels.doubles(t[4]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        double decay = s[0];
        boolean l2 = s[1] != 0;
        double wd = s[1];
        double b1 = s[2];
        double w1 = s[3];
        double b2 = s[4];
        double w2 = s[5];
        double eps = s[6];
        double exponent = s[7];
        double step = s[8];
        for (int i = from + o; i < to + o; i++) {
            double theta = p[i];
            double d = g[i];
            if (l2) {
                d = d + wd * theta;
            } else {
                theta = theta * decay;
            }
            double mi = m[i] * b1;
            mi = mi + w1 * d;
            double vi = v[i] * b2;
            vi = vi + w2 * d * d;
            double second = vi;
            if (x != null) {
                second = Math.max(x[i], vi);
                x[i] = second;
            }
            double den = Math.sqrt(second);
            den = den + eps;
            // Tensor.pow's kernel squares exactly for exponent 2
            den = exponent == 2 ? den * den : Math.pow(den, exponent);
            m[i] = mi;
            v[i] = vi;
            p[i] = theta + step * mi / den;
        }
    }
}
