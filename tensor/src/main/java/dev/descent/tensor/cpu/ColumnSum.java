package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * Sums over a leading block of axes of a contiguous tensor: {@code [R..., C...] -> [C...]}, adding whole
 * rows of C into double accumulators. Reading rows keeps memory access sequential, where reducing each
 * column as its own strided run would jump by C elements per step. FLOAT32 rows are added in float in blocks
 * of {@link #ROW_BLOCK} rows, then into the double accumulators.
 */
final class ColumnSum {
    /** FLOAT32 rows summed in float before their sum is added into the double accumulators. */
    static final int ROW_BLOCK = 32;

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
                // float sums over blocks of rows (a loop that vectorises), each block added in double: a
                // float-to-double add per element ran at about one element per nanosecond
                // (each row is copied to index 0 first: HotSpot 17 vectorises the add only when the load and the
                // store share one index expression)
                float[] block = new float[acc.length];
                float[] row = new float[acc.length];
                for (int i0 = 0; i0 < r; i0 += ROW_BLOCK) {
                    int i1 = Math.min(r, i0 + ROW_BLOCK);
                    System.arraycopy(f, base + i0 * cols + start, block, 0, block.length);
                    for (int i = i0 + 1; i < i1; i++) {
                        System.arraycopy(f, base + i * cols + start, row, 0, row.length);
                        for (int j = 0; j < block.length; j++) {
                            block[j] += row[j];
                        }
                    }
                    for (int j = 0; j < acc.length; j++) {
                        acc[j] += block[j];
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
