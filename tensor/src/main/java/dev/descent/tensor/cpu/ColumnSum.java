package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * Sums over a leading block of axes of a contiguous tensor: {@code [R..., C...] -> [C...]}, adding whole
 * rows of C into double accumulators. Reading rows keeps memory access sequential, where reducing each
 * column as its own strided run would jump by C elements per step.
 */
final class ColumnSum {
    private ColumnSum() {
    }

    static boolean applies(Tensor in, int[] axes) {
        if (!in.isContiguous() || axes.length == 0 || axes.length == in.dim()) {
            return false;
        }
        for (int i = 0; i < axes.length; i++) {
            if (axes[i] != i) {
                return false;
            }
        }
        return true;
    }

    static void sum(Tensor in, int leadingAxes, Tensor out) {
        int rows = 1;
        for (int d = 0; d < leadingAxes; d++) {
            rows *= in.size(d);
        }
        int cols = in.numel() / Math.max(rows, 1);
        int base = in.offset();
        int outBase = out.offset();
        Object x = ((CpuStorage) in.storage()).data;
        Object o = ((CpuStorage) out.storage()).data;
        int r = rows;
        Parallel.forRange(cols, Math.max(64, Parallel.GRAIN / Math.max(rows, 1)), (start, end) -> {
            double[] acc = new double[end - start];
            if (x instanceof float[] f) {
                for (int i = 0; i < r; i++) {
                    int row = base + i * cols + start;
                    for (int j = 0; j < acc.length; j++) {
                        acc[j] += f[row + j];
                    }
                }
                float[] res = (float[]) o;
                for (int j = 0; j < acc.length; j++) {
                    res[outBase + start + j] = (float) acc[j];
                }
            } else {
                double[] f = (double[]) x;
                for (int i = 0; i < r; i++) {
                    int row = base + i * cols + start;
                    for (int j = 0; j < acc.length; j++) {
                        acc[j] += f[row + j];
                    }
                }
                double[] res = (double[]) o;
                for (int j = 0; j < acc.length; j++) {
                    res[outBase + start + j] = acc[j];
                }
            }
        });
    }
}
