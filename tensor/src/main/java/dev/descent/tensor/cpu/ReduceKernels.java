package dev.descent.tensor.cpu;

import dev.descent.tensor.DType;
import dev.descent.tensor.ReduceOp;
import dev.descent.tensor.Tensor;

import java.util.Arrays;

/**
 * Reductions over a set of axes. The reduced axes are collapsed into one run per output where their
 * strides allow (otherwise the input is first permuted into a contiguous copy), and each output reduces
 * its run. Sums of a contiguous leading block of axes (a bias gradient: sum over the batch) accumulate
 * whole rows at a time instead.
 */
final class ReduceKernels {
    private ReduceKernels() {
    }

    static void reduce(ReduceOp op, Tensor in, int[] axes, Tensor out) {
        int rank = in.dim();
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            reduced[a] = true;
        }
        if (op == ReduceOp.SUM && in.dtype().isFloatingPoint() && ColumnSum.applies(in, axes)) {
            ColumnSum.sum(in, axes.length, out);
            return;
        }
        int[] run = reducedRun(in, reduced);
        Tensor src = in;
        if (run == null) {
            src = in.permute(keptThenReduced(reduced)).contiguous();
            int rLen = 1;
            for (int a : axes) {
                rLen *= in.size(a);
            }
            run = new int[] {rLen, 1};
            reduced = new boolean[rank];
            Arrays.fill(reduced, rank - axes.length, rank, true);
        }
        int keptRank = rank - axes.length;
        int[] keptShape = new int[keptRank];
        int[] inStrides = new int[keptRank];
        int[] outStrides = new int[keptRank];
        int[] srcStrides = src.stride();
        int[] keptOutStrides = keptOutStrides(out, axes);
        for (int d = 0, j = 0; d < rank; d++) {
            if (!reduced[d]) {
                keptShape[j] = src.size(d);
                inStrides[j] = srcStrides[d];
                outStrides[j] = keptOutStrides[j];
                j++;
            }
        }
        int length = run[0];
        int stride = run[1];
        StridedLoop loop = StridedLoop.of(keptShape, new int[][] {outStrides, inStrides},
                new int[] {out.offset(), src.offset()});
        int so = loop.innerStride(0);
        int si = loop.innerStride(1);
        Object x = ((CpuStorage) src.storage()).data;
        Object o = ((CpuStorage) out.storage()).data;
        int grain = Math.max(1, Parallel.GRAIN / Math.max(length, 1));
        loop.forEach(grain, (off, n) -> {
            for (int i = 0; i < n; i++) {
                Runs.reduceInto(op, x, off[1] + i * si, stride, length, o, off[0] + i * so);
            }
        });
    }

    /** out's strides at its kept (non-reduced) axes. */
    private static int[] keptOutStrides(Tensor out, int[] axes) {
        int[] strides = out.stride();
        int[] kept = new int[strides.length - axes.length];
        for (int d = 0, j = 0, k = 0; d < strides.length; d++) {
            if (k < axes.length && axes[k] == d) {
                k++;
            } else {
                kept[j++] = strides[d];
            }
        }
        return kept;
    }

    /** {length, stride} when the reduced axes of {@code in} form one evenly strided run, else null. */
    private static int[] reducedRun(Tensor in, boolean[] reduced) {
        int length = 1;
        int stride = 1;
        boolean started = false;
        for (int d = in.dim() - 1; d >= 0; d--) {
            if (!reduced[d] || in.size(d) == 1) {
                continue;
            }
            if (!started) {
                stride = in.stride(d);
                length = in.size(d);
                started = true;
            } else if (in.stride(d) == stride * length) {
                length *= in.size(d);
            } else {
                return null;
            }
        }
        return new int[] {length, stride};
    }

    private static int[] keptThenReduced(boolean[] reduced) {
        int[] order = new int[reduced.length];
        int j = 0;
        for (int d = 0; d < reduced.length; d++) {
            if (!reduced[d]) {
                order[j++] = d;
            }
        }
        for (int d = 0; d < reduced.length; d++) {
            if (reduced[d]) {
                order[j++] = d;
            }
        }
        return order;
    }

    /** Inclusive prefix sums along {@code axis}, accumulated in double (floats) or long (integers). */
    static void cumsum(Tensor in, int axis, Tensor out) {
        Tensor src = in.contiguous();
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= in.size(d);
        }
        int len = in.size(axis);
        int inner = src.numel() / Math.max(outer * len, 1);
        Object x = ((CpuStorage) src.storage()).data;
        Object o = ((CpuStorage) out.storage()).data;
        int base = src.offset();
        Parallel.forRange(outer, Math.max(1, Parallel.GRAIN / Math.max(len * inner, 1)), (start, end) -> {
            for (int b = start; b < end; b++) {
                int first = b * len * inner;
                if (in.dtype() == DType.INT64) {
                    long[] acc = new long[inner];
                    for (int k = 0; k < len; k++) {
                        for (int j = 0; j < inner; j++) {
                            int p = first + k * inner + j;
                            acc[j] += ((long[]) x)[base + p];
                            ((long[]) o)[p] = acc[j];
                        }
                    }
                } else {
                    double[] acc = new double[inner];
                    for (int k = 0; k < len; k++) {
                        int p = first + k * inner;
                        if (x instanceof float[] f) {
                            float[] r = (float[]) o;
                            for (int j = 0; j < inner; j++) {
                                acc[j] += f[base + p + j];
                                r[p + j] = (float) acc[j];
                            }
                        } else {
                            double[] f = (double[]) x;
                            double[] r = (double[]) o;
                            for (int j = 0; j < inner; j++) {
                                acc[j] += f[base + p + j];
                                r[p + j] = acc[j];
                            }
                        }
                    }
                }
            }
        });
    }
}
