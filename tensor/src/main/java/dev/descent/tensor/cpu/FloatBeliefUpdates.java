package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * FLOAT32 loops of the fused rules of the official RAdam code and its descendants, OFFICIAL_RADAM, ADABELIEF
 * and ACPROP (see {@link dev.descent.tensor.FusedRule}), over elements [from, to), each line one in-place
 * operation of the unfused path with its scalar rounded to float. {@code DoubleBeliefUpdates} is this file
 * for FLOAT64, made by {@code gen-double-updates.sh}.
 */
final class FloatBeliefUpdates {
    private FloatBeliefUpdates() {
    }

    static void officialRadam(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] m = FusedKernels.floats(t[2]);
        float[] v = FusedKernels.floats(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        float b1 = (float) s[0];
        float w1 = (float) s[1];
        float b2 = (float) s[2];
        float w2 = (float) s[3];
        int mode = (int) s[4];
        boolean decays = s[5] != 0;
        float decay = (float) s[6];
        float eps = (float) s[7];
        float step = (float) s[8];
        for (int i = from + o; i < to + o; i++) {
            float gi = g[i];
            float vi = v[i] * b2;
            vi = vi + w2 * gi * gi;
            float mi = m[i] * b1;
            mi = mi + w1 * gi;
            v[i] = vi;
            m[i] = mi;
            if (mode != 0) {
                float theta = p[i];
                if (decays) {
                    theta = theta + decay * theta;
                }
                if (mode == 2) {
                    float den = (float) Math.sqrt(vi);
                    den = den + eps;
                    p[i] = theta + step * mi / den;
                } else {
                    p[i] = theta + step * mi;
                }
            }
        }
    }

    static void adabelief(Tensor[] t, double[] s, int from, int to) {
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
        float bc2 = (float) s[7];
        int mode = (int) s[8];
        float step = (float) s[9];
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
            float r = d - mi;
            float vi = v[i] * b2;
            vi = vi + w2 * r * r;
            vi = vi + eps;
            float second = vi;
            if (x != null) {
                second = Math.max(x[i], vi);
                x[i] = second;
            }
            m[i] = mi;
            v[i] = vi;
            if (mode == 0) {
                float den = (float) Math.sqrt(second);
                den = den / bc2;
                den = den + eps;
                theta = theta + step * mi / den;
            } else if (mode == 1) {
                float den = (float) Math.sqrt(vi);
                den = den + eps;
                theta = theta + step * mi / den;
            } else if (mode == 2) {
                theta = theta + step * mi;
            }
            p[i] = theta;
        }
    }

    static void acprop(Tensor[] t, double[] s, int from, int to) {
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
        float bc1 = (float) s[7];
        float bc2 = (float) s[8];
        int mode = (int) s[9];
        boolean momentum = s[10] != 0;
        float step = (float) s[11];
        boolean addEps = x != null || mode != 0;
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
            float vi = v[i];
            if (addEps) {
                vi = vi + eps;
            }
            float second = vi;
            if (x != null) {
                second = Math.max(x[i], vi);
                x[i] = second;
            }
            float n = momentum ? mi : d * bc1;
            if (mode == 0) {
                theta = theta + step * (mi / bc1);
            } else if (mode == 1) {
                float den = (float) Math.sqrt(second);
                den = den / bc2;
                den = den + eps;
                theta = theta + step * n / den;
            } else if (mode == 2) {
                float den = (float) Math.sqrt(vi);
                den = den + eps;
                theta = theta + step * n / den;
            } else if (mode == 3) {
                theta = theta + step * mi;
            }
            float r = d - mi;
            vi = vi * b2;
            m[i] = mi;
            v[i] = vi + w2 * r * r;
            p[i] = theta;
        }
    }
}
