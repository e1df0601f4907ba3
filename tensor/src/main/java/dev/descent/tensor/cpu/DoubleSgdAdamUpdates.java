package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * FLOAT64 loops of the fused rules SGD, ADAM, ADAMAX, NADAM and RADAM (see {@link dev.descent.tensor.FusedRule}
 * for the slots and scalars), over elements [from, to). Each line repeats one in-place operation of the
 * optimizer's unfused path, with its scalar rounded to double as that kernel rounds it.
 * {@code FloatSgdAdamUpdates} is this file for FLOAT32, made by {@code gen-double-updates.sh}.
 */
final class DoubleSgdAdamUpdates {
    private DoubleSgdAdamUpdates() {
    }

    static void sgd(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] b = FusedKernels.doubles(t[2]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        double wd = s[1];
        double mu = s[2];
        double keep = s[3];
        boolean nesterov = s[4] != 0;
        boolean first = s[5] != 0;
        double step = s[6];
        for (int i = from + o; i < to + o; i++) {
            double theta = p[i];
            double d = maximize ? -g[i] : g[i];
            if (l2) {
                d = d + wd * theta;
            }
            if (b != null) {
                double bi = d;
                if (!first) {
                    bi = b[i] * mu;
                    bi = bi + keep * d;
                }
                b[i] = bi;
                d = nesterov ? d + mu * bi : bi;
            }
            p[i] = theta + step * d;
        }
    }

    static void adam(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] m = FusedKernels.doubles(t[2]);
        double[] v = FusedKernels.doubles(t[3]);
        double[] x = FusedKernels.doubles(t[4]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        double wd = s[1];
        boolean decays = s[2] != 1;
        double decay = s[2];
        double b1 = s[3];
        double w1 = s[4];
        double b2 = s[5];
        double w2 = s[6];
        double bc2 = s[7];
        double eps = s[8];
        double step = s[9];
        for (int i = from + o; i < to + o; i++) {
            double d = maximize ? -g[i] : g[i];
            double theta = p[i];
            if (l2) {
                d = d + wd * theta;
            } else if (decays) {
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
            den = den / bc2;
            den = den + eps;
            m[i] = mi;
            v[i] = vi;
            p[i] = theta + step * mi / den;
        }
    }

    static void adamax(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] m = FusedKernels.doubles(t[2]);
        double[] u = FusedKernels.doubles(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        double wd = s[1];
        double b1 = s[2];
        double w1 = s[3];
        double b2 = s[4];
        double eps = s[5];
        double step = s[6];
        for (int i = from + o; i < to + o; i++) {
            double theta = p[i];
            double d = maximize ? -g[i] : g[i];
            if (l2) {
                d = d + wd * theta;
            }
            double mi = m[i] * b1;
            mi = mi + w1 * d;
            double ui = u[i] * b2;
            ui = Math.max(ui, Math.abs(d) + eps);
            m[i] = mi;
            u[i] = ui;
            p[i] = theta + step * mi / ui;
        }
    }

    static void nadam(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] m = FusedKernels.doubles(t[2]);
        double[] v = FusedKernels.doubles(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        double wd = s[1];
        boolean decays = s[2] != 1;
        double decay = s[2];
        double b1 = s[3];
        double w1 = s[4];
        double b2 = s[5];
        double w2 = s[6];
        double bc2 = s[7];
        double eps = s[8];
        double gradStep = s[9];
        double momentumStep = s[10];
        for (int i = from + o; i < to + o; i++) {
            double theta = p[i];
            double d = maximize ? -g[i] : g[i];
            if (l2) {
                d = d + wd * theta;
            } else if (decays) {
                theta = theta * decay;
            }
            double mi = m[i] * b1;
            mi = mi + w1 * d;
            double vi = v[i] * b2;
            vi = vi + w2 * d * d;
            double den = vi / bc2;
            den = Math.sqrt(den);
            den = den + eps;
            theta = theta + gradStep * d / den;
            m[i] = mi;
            v[i] = vi;
            p[i] = theta + momentumStep * mi / den;
        }
    }

    static void radam(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] m = FusedKernels.doubles(t[2]);
        double[] v = FusedKernels.doubles(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        double wd = s[1];
        boolean decays = s[2] != 1;
        double decay = s[2];
        double b1 = s[3];
        double w1 = s[4];
        double b2 = s[5];
        double w2 = s[6];
        boolean adaptive = s[7] != 0;
        double eps = s[8];
        double step = s[9];
        for (int i = from + o; i < to + o; i++) {
            double theta = p[i];
            double d = maximize ? -g[i] : g[i];
            if (l2) {
                d = d + wd * theta;
            } else if (decays) {
                theta = theta * decay;
            }
            double mi = m[i] * b1;
            mi = mi + w1 * d;
            double vi = v[i] * b2;
            vi = vi + w2 * d * d;
            m[i] = mi;
            v[i] = vi;
            if (adaptive) {
                double den = Math.sqrt(vi);
                den = den + eps;
                p[i] = theta + step * mi / den;
            } else {
                p[i] = theta + step * mi;
            }
        }
    }
}
