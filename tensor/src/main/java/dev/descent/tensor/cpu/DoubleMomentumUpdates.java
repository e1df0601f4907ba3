package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * FLOAT64 loops of the fused momentum rules PNM, ADAPNM, SIGN and GENERALIZED_SIGN (see
 * {@link dev.descent.tensor.FusedRule}), over elements [from, to), each line one in-place operation of the
 * unfused path with its scalar rounded to double. {@code FloatMomentumUpdates} is this file for FLOAT32, made
 * by {@code gen-double-updates.sh}.
 */
final class DoubleMomentumUpdates {
    private DoubleMomentumUpdates() {
    }

    static void pnm(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] pos = FusedKernels.doubles(t[2]);
        double[] neg = FusedKernels.doubles(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        double decay = s[0];
        boolean l2 = s[1] != 0;
        double wd = s[1];
        double beta = s[2];
        double w = s[3];
        double plus = s[4];
        double minus = s[5];
        double norm = s[6];
        double step = s[7];
        for (int i = from + o; i < to + o; i++) {
            double theta = p[i];
            double d = g[i];
            if (l2) {
                d = d + wd * theta;
            } else {
                theta = theta * decay;
            }
            double a = pos[i] * beta;
            a = a + w * d;
            pos[i] = a;
            double delta = a * plus;
            delta = delta + minus * neg[i];
            delta = delta * norm;
            p[i] = theta + step * delta;
        }
    }

    static void adapnm(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] pos = FusedKernels.doubles(t[2]);
        double[] neg = FusedKernels.doubles(t[3]);
        double[] v = FusedKernels.doubles(t[4]);
        double[] x = FusedKernels.doubles(t[5]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        double decay = s[0];
        boolean l2 = s[1] != 0;
        double wd = s[1];
        double beta = s[2];
        double w = s[3];
        double b2 = s[4];
        double w2 = s[5];
        double bc2 = s[6];
        double eps = s[7];
        double plus = s[8];
        double minus = s[9];
        double norm = s[10];
        double step = s[11];
        // two loops per block, as DoubleAdamVariantUpdates.adan: one loop of both bodies is not vectorised
        for (int b = from + o; b < to + o; b += FusedKernels.BLOCK) {
            int e = Math.min(b + FusedKernels.BLOCK, to + o);
            for (int i = b; i < e; i++) {
                double d = g[i];
                if (l2) {
                    d = d + wd * p[i];
                }
                double a = pos[i] * beta;
                pos[i] = a + w * d;
                double vi = v[i] * b2;
                vi = vi + w2 * d * d;
                v[i] = vi;
                if (x != null) {
                    x[i] = Math.max(x[i], vi);
                }
            }
            for (int i = b; i < e; i++) {
                double theta = p[i];
                if (!l2) {
                    theta = theta * decay;
                }
                double den = Math.sqrt(x != null ? x[i] : v[i]);
                den = den / bc2;
                den = den + eps;
                double pn = pos[i] * plus;
                pn = pn + minus * neg[i];
                pn = pn * norm;
                p[i] = theta + step * pn / den;
            }
        }
    }

    static void sign(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] m = FusedKernels.doubles(t[2]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        double wd = s[1];
        double decay = s[2];
        double beta = s[3];
        double w = s[4];
        double step = s[5];
        for (int i = from + o; i < to + o; i++) {
            double theta = p[i];
            double d = maximize ? -g[i] : g[i];
            if (l2) {
                d = d + wd * theta;
            } else {
                theta = theta * decay;
            }
            if (m != null) {
                double mi = m[i] * beta;
                mi = mi + w * d;
                m[i] = mi;
                d = mi;
            }
            p[i] = theta + step * FusedKernels.sign(d);
        }
    }

    static void generalizedSign(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] m = FusedKernels.doubles(t[2]);
        double[] v = FusedKernels.doubles(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean l2 = s[0] != 0;
        double wd = s[0];
        double b1 = s[1];
        double w1 = s[2];
        double bc1 = s[3];
        double b2 = s[4];
        double w2 = s[5];
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
            double scaled = mi / bc1;
            double vi = v[i] * b2;
            vi = vi + w2 * mi * mi;
            double den = vi / bc2;
            den = Math.sqrt(den);
            den = den + eps;
            m[i] = mi;
            v[i] = vi;
            p[i] = theta + step * scaled / den;
        }
    }
}
