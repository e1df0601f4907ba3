package dev.descent.tensor.cpu;

import dev.descent.tensor.AdamHyper;
import dev.descent.tensor.SgdHyper;
import dev.descent.tensor.Tensor;

/**
 * Fused optimizer updates: one loop over the parameter and its state, repeating exactly the arithmetic of
 * the in-place operations the optimizer would otherwise run one after another (the same scalars, rounded to
 * the dtype as those kernels round them, in the same order), so that both paths give identical results.
 */
final class OptimizerKernels {
    private OptimizerKernels() {
    }

    static void adam(Tensor param, Tensor grad, Tensor m, Tensor v, Tensor vMax, AdamHyper h, long step) {
        int n = param.numel();
        int po = param.offset();
        int go = grad.offset();
        int mo = m.offset();
        int vo = v.offset();
        int xo = vMax == null ? 0 : vMax.offset();
        double bc1 = 1 - Math.pow(h.beta1(), step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(h.beta2(), step));
        if (param.storage() instanceof CpuStorage ps && ps.data instanceof float[] p) {
            float[] g = FloatKernels.data(grad);
            float[] ma = FloatKernels.data(m);
            float[] va = FloatKernels.data(v);
            float[] xa = vMax == null ? null : FloatKernels.data(vMax);
            if (n < 2 * Parallel.GRAIN || Parallel.threads() == 1) {
                adamFloat(h, p, po, g, go, ma, mo, va, vo, xa, xo, 0, n, bc1, bc2Sqrt); // no task, no allocation
            } else {
                Parallel.forRange(n, Parallel.GRAIN, (s, e) -> adamFloat(h, p, po, g, go, ma, mo, va, vo, xa, xo, s, e, bc1, bc2Sqrt));
            }
        } else {
            double[] p = DoubleKernels.data(param);
            double[] g = DoubleKernels.data(grad);
            double[] ma = DoubleKernels.data(m);
            double[] va = DoubleKernels.data(v);
            double[] xa = vMax == null ? null : DoubleKernels.data(vMax);
            if (n < 2 * Parallel.GRAIN || Parallel.threads() == 1) {
                adamDouble(h, p, po, g, go, ma, mo, va, vo, xa, xo, 0, n, bc1, bc2Sqrt);
            } else {
                Parallel.forRange(n, Parallel.GRAIN, (s, e) -> adamDouble(h, p, po, g, go, ma, mo, va, vo, xa, xo, s, e, bc1, bc2Sqrt));
            }
        }
    }

    static void sgd(Tensor param, Tensor grad, Tensor buf, SgdHyper h, boolean first) {
        int n = param.numel();
        int po = param.offset();
        int go = grad.offset();
        int bo = buf == null ? 0 : buf.offset();
        if (((CpuStorage) param.storage()).data instanceof float[] p) {
            float[] g = FloatKernels.data(grad);
            float[] b = buf == null ? null : FloatKernels.data(buf);
            if (n < 2 * Parallel.GRAIN || Parallel.threads() == 1) {
                sgdFloat(h, first, p, po, g, go, b, bo, 0, n);
            } else {
                Parallel.forRange(n, Parallel.GRAIN, (s, e) -> sgdFloat(h, first, p, po, g, go, b, bo, s, e));
            }
        } else {
            double[] p = DoubleKernels.data(param);
            double[] g = DoubleKernels.data(grad);
            double[] b = buf == null ? null : DoubleKernels.data(buf);
            if (n < 2 * Parallel.GRAIN || Parallel.threads() == 1) {
                sgdDouble(h, first, p, po, g, go, b, bo, 0, n);
            } else {
                Parallel.forRange(n, Parallel.GRAIN, (s, e) -> sgdDouble(h, first, p, po, g, go, b, bo, s, e));
            }
        }
    }

    private static void sgdFloat(SgdHyper h, boolean first, float[] p, int po, float[] g, int go, float[] b, int bo,
                                 int from, int to) {
        boolean l2 = h.weightDecay() != 0;
        float wd = (float) h.weightDecay();
        float mu = (float) h.momentum();
        float keep = (float) (1 - h.dampening());
        float step = (float) -h.lr();
        for (int i = from; i < to; i++) {
            float theta = p[po + i];
            float d = h.maximize() ? -g[go + i] : g[go + i];
            if (l2) {
                d = d + wd * theta;
            }
            if (b != null) {
                float bi = d;
                if (!first) {
                    bi = b[bo + i] * mu;
                    bi = bi + keep * d;
                }
                b[bo + i] = bi;
                d = h.nesterov() ? d + mu * bi : bi;
            }
            p[po + i] = theta + step * d;
        }
    }

    private static void sgdDouble(SgdHyper h, boolean first, double[] p, int po, double[] g, int go, double[] b, int bo,
                                  int from, int to) {
        boolean l2 = h.weightDecay() != 0;
        double wd = h.weightDecay();
        double mu = h.momentum();
        double keep = 1 - h.dampening();
        double step = -h.lr();
        for (int i = from; i < to; i++) {
            double theta = p[po + i];
            double d = h.maximize() ? -g[go + i] : g[go + i];
            if (l2) {
                d = d + wd * theta;
            }
            if (b != null) {
                double bi = d;
                if (!first) {
                    bi = b[bo + i] * mu;
                    bi = bi + keep * d;
                }
                b[bo + i] = bi;
                d = h.nesterov() ? d + mu * bi : bi;
            }
            p[po + i] = theta + step * d;
        }
    }

    private static void adamFloat(AdamHyper h, float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo,
                                  float[] x, int xo, int from, int to, double bc1, double bc2Sqrt) {
        boolean l2 = h.weightDecay() != 0 && !h.decoupledWeightDecay();
        boolean decay = h.weightDecay() != 0 && h.decoupledWeightDecay();
        float wd = (float) h.weightDecay();
        float keep = (float) (1 - h.lr() * h.weightDecay());
        float b1 = (float) h.beta1();
        float w1 = (float) (1 - h.beta1());
        float b2 = (float) h.beta2();
        float w2 = (float) (1 - h.beta2());
        float bc2 = (float) bc2Sqrt;
        float eps = (float) h.eps();
        float step = (float) (-h.lr() / bc1);
        boolean maximize = h.maximize();
        for (int i = from; i < to; i++) {
            float d = maximize ? -g[go + i] : g[go + i];
            float theta = p[po + i];
            if (l2) {
                d = d + wd * theta;
            } else if (decay) {
                theta = theta * keep;
            }
            float mi = m[mo + i] * b1;
            mi = mi + w1 * d;
            float vi = v[vo + i] * b2;
            vi = vi + w2 * d * d;
            float second = vi;
            if (x != null) {
                second = Math.max(x[xo + i], vi);
                x[xo + i] = second;
            }
            float den = (float) Math.sqrt(second);
            den = den / bc2;
            den = den + eps;
            m[mo + i] = mi;
            v[vo + i] = vi;
            p[po + i] = theta + step * mi / den;
        }
    }

    private static void adamDouble(AdamHyper h, double[] p, int po, double[] g, int go, double[] m, int mo, double[] v,
                                   int vo, double[] x, int xo, int from, int to, double bc1, double bc2Sqrt) {
        boolean l2 = h.weightDecay() != 0 && !h.decoupledWeightDecay();
        boolean decay = h.weightDecay() != 0 && h.decoupledWeightDecay();
        double wd = h.weightDecay();
        double keep = 1 - h.lr() * h.weightDecay();
        double b1 = h.beta1();
        double w1 = 1 - h.beta1();
        double b2 = h.beta2();
        double w2 = 1 - h.beta2();
        double eps = h.eps();
        double step = -h.lr() / bc1;
        boolean maximize = h.maximize();
        for (int i = from; i < to; i++) {
            double d = maximize ? -g[go + i] : g[go + i];
            double theta = p[po + i];
            if (l2) {
                d = d + wd * theta;
            } else if (decay) {
                theta = theta * keep;
            }
            double mi = m[mo + i] * b1;
            mi = mi + w1 * d;
            double vi = v[vo + i] * b2;
            vi = vi + w2 * d * d;
            double second = vi;
            if (x != null) {
                second = Math.max(x[xo + i], vi);
                x[xo + i] = second;
            }
            double den = Math.sqrt(second);
            den = den / bc2Sqrt;
            den = den + eps;
            m[mo + i] = mi;
            v[vo + i] = vi;
            p[po + i] = theta + step * mi / den;
        }
    }
}
