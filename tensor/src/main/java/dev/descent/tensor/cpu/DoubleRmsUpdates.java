package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * FLOAT64 loops of the fused rules RMSPROP, ADAGRAD and ADADELTA (see {@link dev.descent.tensor.FusedRule}),
 * over elements [from, to), each line one in-place operation of the unfused path with its scalar rounded to
 * double. {@code FloatRmsUpdates} is this file for FLOAT32, made by {@code gen-double-updates.sh}.
 */
final class DoubleRmsUpdates {
    private DoubleRmsUpdates() {
    }

    static void rmsprop(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] sq = FusedKernels.doubles(t[2]);
        double[] ga = FusedKernels.doubles(t[3]);
        double[] b = FusedKernels.doubles(t[4]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        double wd = s[1];
        double alpha = s[2];
        double w = s[3];
        double eps = s[4];
        double mu = s[5];
        double step = s[6];
        for (int i = from + o; i < to + o; i++) {
            double theta = p[i];
            double d = maximize ? -g[i] : g[i];
            if (l2) {
                d = d + wd * theta;
            }
            double v = sq[i] * alpha;
            v = v + w * d * d;
            sq[i] = v;
            double den;
            if (ga != null) {
                double mean = ga[i] * alpha;
                mean = mean + w * d;
                ga[i] = mean;
                den = v + -1.0 * mean * mean;
                den = Math.sqrt(den);
            } else {
                den = Math.sqrt(v);
            }
            den = den + eps;
            if (b != null) {
                double bi = b[i] * mu;
                bi = bi + 1.0 * d / den;
                b[i] = bi;
                p[i] = theta + step * bi;
            } else {
                p[i] = theta + step * d / den;
            }
        }
    }

    static void adagrad(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] sum = FusedKernels.doubles(t[2]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        double wd = s[1];
        double eps = s[2];
        double step = s[3];
        for (int i = from + o; i < to + o; i++) {
            double theta = p[i];
            double d = maximize ? -g[i] : g[i];
            if (l2) {
                d = d + wd * theta;
            }
            double acc = sum[i] + 1.0 * d * d;
            sum[i] = acc;
            double den = Math.sqrt(acc);
            den = den + eps;
            p[i] = theta + step * d / den;
        }
    }

    static void adadelta(Tensor[] t, double[] s, int from, int to) {
        double[] p = FusedKernels.doubles(t[0]);
        double[] g = FusedKernels.doubles(t[1]);
        double[] sq = FusedKernels.doubles(t[2]);
        double[] acc = FusedKernels.doubles(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        double wd = s[1];
        double rho = s[2];
        double w = s[3];
        double eps = s[4];
        double step = s[5];
        for (int i = from + o; i < to + o; i++) {
            double theta = p[i];
            double d = maximize ? -g[i] : g[i];
            if (l2) {
                d = d + wd * theta;
            }
            double v = sq[i] * rho;
            v = v + w * d * d;
            sq[i] = v;
            double a = acc[i];
            double delta = a + eps;
            delta = Math.sqrt(delta);
            double rms = v + eps;
            rms = Math.sqrt(rms);
            delta = delta / rms;
            delta = delta * d;
            a = a * rho;
            acc[i] = a + w * delta * delta;
            p[i] = theta + step * delta;
        }
    }
}
