package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * FLOAT64 loops of the fused rules of the official RAdam code and its descendants, OFFICIAL_RADAM, ADABELIEF
 * and ACPROP (see {@link dev.descent.tensor.FusedRule}), over elements [from, to), each line one in-place
 * operation of the unfused path with its scalar rounded to double. {@code DoubleBeliefUpdates} is this file
 * for FLOAT64, made by {@code gen-double-updates.sh}.
 */
final class DoubleBeliefUpdates {
    private DoubleBeliefUpdates() {
    }

    static void officialRadam(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] m = FusedKernels.doubles(t[2]);
        double[] v = FusedKernels.doubles(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        double b1 = s[0];
        double w1 = s[1];
        double b2 = s[2];
        double w2 = s[3];
        int mode = (int) s[4];
        boolean decays = s[5] != 0;
        double decay = s[6];
        double eps = s[7];
        double step = s[8];
        for (int i = from + o; i < to + o; i++) {
            double gi = g[i];
            double vi = v[i] * b2;
            vi = vi + w2 * gi * gi;
            double mi = m[i] * b1;
            mi = mi + w1 * gi;
            v[i] = vi;
            m[i] = mi;
            if (mode != 0) {
                double theta = p[i];
                if (decays) {
                    theta = theta + decay * theta;
                }
                if (mode == 2) {
                    double den = Math.sqrt(vi);
                    den = den + eps;
                    p[i] = theta + step * mi / den;
                } else {
                    p[i] = theta + step * mi;
                }
            }
        }
    }

    static void adabelief(Tensor[] t, double[] s, int from, int to) {
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
        double bc2 = s[7];
        int mode = (int) s[8];
        double step = s[9];
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
            double r = d - mi;
            double vi = v[i] * b2;
            vi = vi + w2 * r * r;
            vi = vi + eps;
            double second = vi;
            if (x != null) {
                second = Math.max(x[i], vi);
                x[i] = second;
            }
            m[i] = mi;
            v[i] = vi;
            if (mode == 0) {
                double den = Math.sqrt(second);
                den = den / bc2;
                den = den + eps;
                theta = theta + step * mi / den;
            } else if (mode == 1) {
                double den = Math.sqrt(vi);
                den = den + eps;
                theta = theta + step * mi / den;
            } else if (mode == 2) {
                theta = theta + step * mi;
            }
            p[i] = theta;
        }
    }

    static void acprop(Tensor[] t, double[] s, int from, int to) {
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
        double bc1 = s[7];
        double bc2 = s[8];
        int mode = (int) s[9];
        boolean momentum = s[10] != 0;
        double step = s[11];
        boolean addEps = x != null || mode != 0;
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
            double vi = v[i];
            if (addEps) {
                vi = vi + eps;
            }
            double second = vi;
            if (x != null) {
                second = Math.max(x[i], vi);
                x[i] = second;
            }
            double n = momentum ? mi : d * bc1;
            if (mode == 0) {
                theta = theta + step * (mi / bc1);
            } else if (mode == 1) {
                double den = Math.sqrt(second);
                den = den / bc2;
                den = den + eps;
                theta = theta + step * n / den;
            } else if (mode == 2) {
                double den = Math.sqrt(vi);
                den = den + eps;
                theta = theta + step * n / den;
            } else if (mode == 3) {
                theta = theta + step * mi;
            }
            double r = d - mi;
            vi = vi * b2;
            m[i] = mi;
            v[i] = vi + w2 * r * r;
            p[i] = theta;
        }
    }
}
