package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * Layer normalisation over rows of contiguous data, in double arithmetic per row (two passes for the mean
 * and variance, one for the output); the backward pass makes one pass per row for its two sums and one for
 * the input gradient, with weight and bias gradients summed per task and then added together.
 */
final class NormKernels {
    private NormKernels() {
    }

    /** Reads element i of a float[] or double[] (the dtypes layer norm takes). */
    private static double at(Object a, int i) {
        return a instanceof float[] f ? f[i] : ((double[]) a)[i];
    }

    private static void put(Object a, int i, double v) {
        if (a instanceof float[] f) {
            f[i] = (float) v;
        } else {
            ((double[]) a)[i] = v;
        }
    }

    private static Object data(Tensor t) {
        return t == null ? null : ((CpuStorage) t.storage()).data;
    }

    static void forward(Tensor x, int rows, int cols, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean,
                        Tensor rstd) {
        Object xs = data(x);
        Object ws = data(weight);
        Object bs = data(bias);
        Object os = data(out);
        Object ms = data(mean);
        Object rs = data(rstd);
        int xo = x.offset();
        int wo = weight == null ? 0 : weight.offset();
        int bo = bias == null ? 0 : bias.offset();
        Parallel.forRange(rows, Math.max(1, Parallel.GRAIN / Math.max(cols, 1)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int base = xo + r * cols;
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    sum += at(xs, base + j);
                }
                double mu = sum / cols;
                double sq = 0;
                for (int j = 0; j < cols; j++) {
                    double d = at(xs, base + j) - mu;
                    sq += d * d;
                }
                double inv = 1 / Math.sqrt(sq / cols + eps);
                put(ms, r, mu);
                put(rs, r, inv);
                int ob = r * cols;
                for (int j = 0; j < cols; j++) {
                    double y = (at(xs, base + j) - mu) * inv;
                    if (ws != null) {
                        y *= at(ws, wo + j);
                    }
                    if (bs != null) {
                        y += at(bs, bo + j);
                    }
                    put(os, ob + j, y);
                }
            }
        });
    }

    static void backward(Tensor g, Tensor x, Tensor mean, Tensor rstd, Tensor weight, int rows, int cols, Tensor gx,
                         Tensor gw, Tensor gb) {
        Object gs = data(g);
        Object xs = data(x);
        Object ms = data(mean);
        Object rs = data(rstd);
        Object ws = data(weight);
        Object gxs = data(gx);
        int go = g.offset();
        int xo = x.offset();
        int mo = mean.offset();
        int ro = rstd.offset();
        int wo = weight == null ? 0 : weight.offset();
        double[] gwTotal = gw == null ? null : new double[cols];
        double[] gbTotal = gb == null ? null : new double[cols];
        Parallel.forRange(rows, Math.max(1, Parallel.GRAIN / Math.max(cols, 1)), (r0, r1) -> {
            double[] gwPart = gw == null ? null : new double[cols];
            double[] gbPart = gb == null ? null : new double[cols];
            for (int r = r0; r < r1; r++) {
                int xb = xo + r * cols;
                int gb0 = go + r * cols;
                double mu = at(ms, mo + r);
                double inv = at(rs, ro + r);
                double a = 0;
                double b = 0;
                for (int j = 0; j < cols; j++) {
                    double gj = at(gs, gb0 + j);
                    double xhat = (at(xs, xb + j) - mu) * inv;
                    double gh = ws == null ? gj : gj * at(ws, wo + j);
                    a += gh;
                    b += gh * xhat;
                    if (gwPart != null) {
                        gwPart[j] += gj * xhat;
                    }
                    if (gbPart != null) {
                        gbPart[j] += gj;
                    }
                }
                if (gxs != null) {
                    double meanA = a / cols;
                    double meanB = b / cols;
                    int ob = r * cols;
                    for (int j = 0; j < cols; j++) {
                        double gj = at(gs, gb0 + j);
                        double xhat = (at(xs, xb + j) - mu) * inv;
                        double gh = ws == null ? gj : gj * at(ws, wo + j);
                        put(gxs, ob + j, inv * (gh - meanA - xhat * meanB));
                    }
                }
            }
            synchronized (NormKernels.class) {
                for (int j = 0; j < cols; j++) {
                    if (gwPart != null) {
                        gwTotal[j] += gwPart[j];
                    }
                    if (gbPart != null) {
                        gbTotal[j] += gbPart[j];
                    }
                }
            }
        });
        for (int j = 0; j < cols; j++) {
            if (gw != null) {
                put(data(gw), j, gwTotal[j]);
            }
            if (gb != null) {
                put(data(gb), j, gbTotal[j]);
            }
        }
    }
}
