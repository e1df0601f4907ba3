package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * FLOAT32 loops of the fused rules SGD, ADAM, ADAMAX, NADAM and RADAM (see {@link dev.descent.tensor.FusedRule}
 * for the slots and scalars), over elements [from, to). Each line repeats one in-place operation of the
 * optimizer's unfused path, with its scalar rounded to float as that kernel rounds it.
 * {@code DoubleSgdAdamUpdates} is this file for FLOAT64, made by {@code gen-double-updates.sh}.
 */
final class FloatSgdAdamUpdates {
    private FloatSgdAdamUpdates() {
    }

    static void sgd(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] b = FusedKernels.floats(t[2]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        float wd = (float) s[1];
        float mu = (float) s[2];
        float keep = (float) s[3];
        boolean nesterov = s[4] != 0;
        boolean first = s[5] != 0;
        float step = (float) s[6];
        for (int i = from + o; i < to + o; i++) {
            float theta = p[i];
            float d = maximize ? -g[i] : g[i];
            if (l2) {
                d = d + wd * theta;
            }
            if (b != null) {
                float bi = d;
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
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] m = FusedKernels.floats(t[2]);
        float[] v = FusedKernels.floats(t[3]);
        float[] x = FusedKernels.floats(t[4]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        float wd = (float) s[1];
        boolean decays = s[2] != 1;
        float decay = (float) s[2];
        float b1 = (float) s[3];
        float w1 = (float) s[4];
        float b2 = (float) s[5];
        float w2 = (float) s[6];
        float bc2 = (float) s[7];
        float eps = (float) s[8];
        float step = (float) s[9];
        for (int i = from + o; i < to + o; i++) {
            float d = maximize ? -g[i] : g[i];
            float theta = p[i];
            if (l2) {
                d = d + wd * theta;
            } else if (decays) {
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
            den = den / bc2;
            den = den + eps;
            m[i] = mi;
            v[i] = vi;
            p[i] = theta + step * mi / den;
        }
    }

    static void adamax(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] m = FusedKernels.floats(t[2]);
        float[] u = FusedKernels.floats(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        float wd = (float) s[1];
        float b1 = (float) s[2];
        float w1 = (float) s[3];
        float b2 = (float) s[4];
        float eps = (float) s[5];
        float step = (float) s[6];
        for (int i = from + o; i < to + o; i++) {
            float theta = p[i];
            float d = maximize ? -g[i] : g[i];
            if (l2) {
                d = d + wd * theta;
            }
            float mi = m[i] * b1;
            mi = mi + w1 * d;
            float ui = u[i] * b2;
            ui = Math.max(ui, Math.abs(d) + eps);
            m[i] = mi;
            u[i] = ui;
            p[i] = theta + step * mi / ui;
        }
    }

    static void nadam(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] m = FusedKernels.floats(t[2]);
        float[] v = FusedKernels.floats(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        float wd = (float) s[1];
        boolean decays = s[2] != 1;
        float decay = (float) s[2];
        float b1 = (float) s[3];
        float w1 = (float) s[4];
        float b2 = (float) s[5];
        float w2 = (float) s[6];
        float bc2 = (float) s[7];
        float eps = (float) s[8];
        float gradStep = (float) s[9];
        float momentumStep = (float) s[10];
        for (int i = from + o; i < to + o; i++) {
            float theta = p[i];
            float d = maximize ? -g[i] : g[i];
            if (l2) {
                d = d + wd * theta;
            } else if (decays) {
                theta = theta * decay;
            }
            float mi = m[i] * b1;
            mi = mi + w1 * d;
            float vi = v[i] * b2;
            vi = vi + w2 * d * d;
            float den = vi / bc2;
            den = (float) Math.sqrt(den);
            den = den + eps;
            theta = theta + gradStep * d / den;
            m[i] = mi;
            v[i] = vi;
            p[i] = theta + momentumStep * mi / den;
        }
    }

    static void radam(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] m = FusedKernels.floats(t[2]);
        float[] v = FusedKernels.floats(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        boolean maximize = s[0] != 0;
        boolean l2 = s[1] != 0;
        float wd = (float) s[1];
        boolean decays = s[2] != 1;
        float decay = (float) s[2];
        float b1 = (float) s[3];
        float w1 = (float) s[4];
        float b2 = (float) s[5];
        float w2 = (float) s[6];
        boolean adaptive = s[7] != 0;
        float eps = (float) s[8];
        float step = (float) s[9];
        for (int i = from + o; i < to + o; i++) {
            float theta = p[i];
            float d = maximize ? -g[i] : g[i];
            if (l2) {
                d = d + wd * theta;
            } else if (decays) {
                theta = theta * decay;
            }
            float mi = m[i] * b1;
            mi = mi + w1 * d;
            float vi = v[i] * b2;
            vi = vi + w2 * d * d;
            m[i] = mi;
            v[i] = vi;
            if (adaptive) {
                float den = (float) Math.sqrt(vi);
                den = den + eps;
                p[i] = theta + step * mi / den;
            } else {
                p[i] = theta + step * mi;
            }
        }
    }
}
