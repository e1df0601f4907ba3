package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * Layer normalisation over rows of contiguous data, in double arithmetic per row (two passes for the mean
 * and variance, one for the output); the backward pass makes one pass per row for its two sums and one for
 * the input gradient, with weight and bias gradients summed per task and then added together. Each dtype
 * has its own loops over its own array type ({@link FloatNormRows}, {@link DoubleNormRows}): reading
 * elements through a dtype test per element ran about ten times slower. FLOAT32 rows run in C when the native
 * library is there ({@link NativeNorm}, the same bits).
 */
final class NormKernels {
    private NormKernels() {
    }

    private static Object data(Tensor t) {
        return t == null ? null : ((CpuStorage) t.storage()).data;
    }

    private static int offset(Tensor t) {
        return t == null ? 0 : t.offset();
    }

    static void forward(Tensor x, int rows, int cols, Tensor weight, Tensor bias, double eps, Tensor out, Tensor mean,
                        Tensor rstd) {
        Object xs = data(x);
        int xo = x.offset();
        int wo = offset(weight);
        int bo = offset(bias);
        Parallel.forRange(rows, Math.max(1, Parallel.GRAIN / Math.max(cols, 1)), (r0, r1) -> {
            if (xs instanceof float[] f && NativeNorm.active()) {
                NativeNorm.forward(f, xo, (float[]) data(weight), wo, (float[]) data(bias), bo, eps, cols, r0, r1,
                        (float[]) data(out), (float[]) data(mean), (float[]) data(rstd));
            } else if (xs instanceof float[] f) {
                FloatNormRows.forward(f, xo, (float[]) data(weight), wo, (float[]) data(bias), bo, eps, cols, r0, r1,
                        (float[]) data(out), (float[]) data(mean), (float[]) data(rstd));
            } else {
                DoubleNormRows.forward((double[]) xs, xo, (double[]) data(weight), wo, (double[]) data(bias), bo, eps,
                        cols, r0, r1, (double[]) data(out), (double[]) data(mean), (double[]) data(rstd));
            }
        });
    }

    static void backward(Tensor g, Tensor x, Tensor mean, Tensor rstd, Tensor weight, int rows, int cols, Tensor gx,
                         Tensor gw, Tensor gb) {
        double[] gwTotal = gw == null ? null : new double[cols];
        double[] gbTotal = gb == null ? null : new double[cols];
        int[] offsets = {g.offset(), x.offset(), mean.offset(), rstd.offset(), offset(weight)};
        Parallel.forRange(rows, Math.max(1, Parallel.GRAIN / Math.max(cols, 1)), (r0, r1) -> {
            double[] gwPart = gw == null ? null : new double[cols];
            double[] gbPart = gb == null ? null : new double[cols];
            if (data(g) instanceof float[] gs && NativeNorm.active()) {
                NativeNorm.backward(gs, (float[]) data(x), (float[]) data(mean), (float[]) data(rstd),
                        (float[]) data(weight), offsets, cols, r0, r1, (float[]) data(gx), gwPart, gbPart);
            } else if (data(g) instanceof float[] gs) {
                FloatNormRows.backward(gs, (float[]) data(x), (float[]) data(mean), (float[]) data(rstd),
                        (float[]) data(weight), offsets, cols, r0, r1, (float[]) data(gx), gwPart, gbPart);
            } else {
                DoubleNormRows.backward((double[]) data(g), (double[]) data(x), (double[]) data(mean),
                        (double[]) data(rstd), (double[]) data(weight), offsets, cols, r0, r1, (double[]) data(gx),
                        gwPart, gbPart);
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
        store(gwTotal, gw);
        store(gbTotal, gb);
    }

    private static void store(double[] total, Tensor dst) {
        if (dst == null) {
            return;
        }
        Object d = data(dst);
        for (int j = 0; j < total.length; j++) {
            if (d instanceof float[] f) {
                f[dst.offset() + j] = (float) total[j];
            } else {
                ((double[]) d)[dst.offset() + j] = total[j];
            }
        }
    }
}
