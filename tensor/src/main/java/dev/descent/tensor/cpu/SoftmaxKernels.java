package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * Softmax and log-softmax over the last axis of contiguous tensors, and the causal softmax of attention
 * scores: rows split across the pool. FLOAT32 rows run in C when {@link NativeSoftmax#active()} (same bits as
 * {@link FloatSoftmaxRows}, faster), in Java otherwise.
 */
final class SoftmaxKernels {
    private SoftmaxKernels() {
    }

    private static Object data(Tensor t) {
        return ((CpuStorage) t.storage()).data;
    }

    static void forward(Tensor x, int cols, boolean log, Tensor out) {
        int rows = cols == 0 ? 0 : out.numel() / cols;
        int[] offsets = {x.offset(), 0, out.offset()};
        Object xs = data(x);
        Object os = data(out);
        Parallel.forRange(rows, grain(cols), (r0, r1) -> {
            if (xs instanceof float[] f && NativeSoftmax.active()) {
                NativeSoftmax.forward(f, offsets[0], (float[]) os, offsets[2], cols, log, r0, r1);
            } else if (xs instanceof float[] f) {
                FloatSoftmaxRows.forward(f, (float[]) os, offsets, cols, log, r0, r1);
            } else {
                DoubleSoftmaxRows.forward((double[]) xs, (double[]) os, offsets, cols, log, r0, r1);
            }
        });
    }

    static void backward(Tensor y, Tensor g, int cols, boolean log, Tensor out) {
        int rows = cols == 0 ? 0 : out.numel() / cols;
        int[] offsets = {y.offset(), g.offset(), out.offset()};
        Object ys = data(y);
        Object gs = data(g);
        Object os = data(out);
        Parallel.forRange(rows, grain(cols), (r0, r1) -> {
            if (ys instanceof float[] f && NativeSoftmax.active()) {
                NativeSoftmax.backward(f, offsets[0], (float[]) gs, offsets[1], (float[]) os, offsets[2], cols, log,
                        r0, r1);
            } else if (ys instanceof float[] f) {
                FloatSoftmaxRows.backward(f, (float[]) gs, (float[]) os, offsets, cols, log, r0, r1);
            } else {
                DoubleSoftmaxRows.backward((double[]) ys, (double[]) gs, (double[]) os, offsets, cols, log, r0, r1);
            }
        });
    }

    /** Causal softmax of {@code scale * x} for contiguous x {@code [..., lq, lk]} into out (x's shape). */
    static void causalForward(Tensor x, double scale, Tensor out) {
        int lq = x.size(-2);
        int lk = x.size(-1);
        int rows = lk == 0 ? 0 : out.numel() / lk;
        int[] offsets = {x.offset(), 0, out.offset()};
        Object xs = data(x);
        Object os = data(out);
        Parallel.forRange(rows, grain(lk), (r0, r1) -> {
            if (xs instanceof float[] f && NativeSoftmax.active()) {
                NativeSoftmax.causalForward(f, offsets[0], (float[]) os, offsets[2], lq, lk, (float) scale, r0, r1);
            } else if (xs instanceof float[] f) {
                FloatSoftmaxRows.causalForward(f, (float[]) os, offsets, lq, lk, (float) scale, r0, r1);
            } else {
                DoubleSoftmaxRows.causalForward((double[]) xs, (double[]) os, offsets, lq, lk, scale, r0, r1);
            }
        });
    }

    /** The backward of {@link #causalForward} from its output y and the output gradient g (contiguous). */
    static void causalBackward(Tensor y, Tensor g, double scale, Tensor out) {
        int lq = y.size(-2);
        int lk = y.size(-1);
        int rows = lk == 0 ? 0 : out.numel() / lk;
        int[] offsets = {y.offset(), g.offset(), out.offset()};
        Object ys = data(y);
        Object gs = data(g);
        Object os = data(out);
        Parallel.forRange(rows, grain(lk), (r0, r1) -> {
            if (ys instanceof float[] f && NativeSoftmax.active()) {
                NativeSoftmax.causalBackward(f, offsets[0], (float[]) gs, offsets[1], (float[]) os, offsets[2], lq, lk,
                        (float) scale, r0, r1);
            } else if (ys instanceof float[] f) {
                FloatSoftmaxRows.causalBackward(f, (float[]) gs, (float[]) os, offsets, lq, lk, (float) scale, r0, r1);
            } else {
                DoubleSoftmaxRows.causalBackward((double[]) ys, (double[]) gs, (double[]) os, offsets, lq, lk, scale,
                        r0, r1);
            }
        });
    }

    /** Rows per task: exp is costly, so split at an eighth of the memory-bound grain. */
    private static int grain(int cols) {
        return Math.max(1, Parallel.GRAIN / 8 / Math.max(cols, 1));
    }
}
