package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * The FLOAT32 loops of bitsandbytes' optimizer kernels: BNB_ADAM (32-bit state) and the blockwise 8-bit
 * BNB_ADAM_8BIT and BNB_MOMENTUM_8BIT (see {@link dev.descent.tensor.FusedRule}), with the arithmetic of
 * {@code dev.descent.optim.eightbit}'s optimizers, line for line. An 8-bit rule runs block by block: it reads the
 * block's packed codes (eight per INT64 element), dequantizes them with the block's old absmax, updates the
 * state into a per-thread block of floats, takes the new absmax, then updates the parameter and writes the new
 * codes, found by {@link CodeLookup} (the search's results, without its branches); blocks are independent, so
 * large tensors split across the pool by blocks.
 */
final class QuantizedUpdates {
    private QuantizedUpdates() {
    }

    static void adam(Tensor[] t, double[] s, int from, int to) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        float[] s1 = FusedKernels.floats(t[2]);
        float[] s2 = FusedKernels.floats(t[3]);
        int o = t[0].offset(); // FusedUpdates.apply has checked that every tensor starts there
        float beta1 = (float) s[0];
        float w1 = (float) s[1];
        float beta2 = (float) s[2];
        float w2 = (float) s[3];
        float epsC2 = (float) s[4];
        float step = (float) s[5];
        float decay = (float) s[6];
        boolean decays = s[7] != 0;
        for (int i = from + o; i < to + o; i++) {
            float gi = g[i];
            float m = s1[i] * beta1 + w1 * gi;
            float v = s2[i] * beta2 + w2 * (gi * gi);
            s1[i] = m;
            s2[i] = v;
            float pi = p[i] + step * (m / ((float) Math.sqrt(v) + epsC2));
            if (decays) {
                pi = pi * decay;
            }
            p[i] = pi;
        }
    }

    /** Runs an 8-bit rule over its blocks, split across the pool for large tensors. */
    static void run(boolean adam, Tensor[] t, double[] s) {
        int n = t[0].numel();
        int bs = (int) s[0];
        int blocks = (n + bs - 1) / bs;
        CodeLookup l1 = lookup(t[adam ? 6 : 4], true);
        CodeLookup l2 = adam ? lookup(t[7], false) : null;
        if (n < 2 * Parallel.GRAIN || Parallel.threads() == 1) {
            blocks(t, s, l1, l2, 0, blocks); // no task, no allocation
        } else {
            Parallel.forRange(blocks, Math.max(1, Parallel.GRAIN / bs), (b0, b1) -> blocks(t, s, l1, l2, b0, b1));
        }
    }

    private static CodeLookup lookup(Tensor map, boolean signed) {
        return CodeLookup.of(FusedKernels.floats(map), map.offset(), map.storage().version(), signed);
    }

    private static void blocks(Tensor[] t, double[] s, CodeLookup l1, CodeLookup l2, int b0, int b1) {
        if (l2 != null) {
            adam8bit(t, s, l1, l2, b0, b1);
        } else {
            momentum8bit(t, s, l1, b0, b1);
        }
    }

    private static void adam8bit(Tensor[] t, double[] s, CodeLookup l1, CodeLookup l2, int b0, int b1) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        long[] c1 = LongKernels.data(t[2]);
        long[] c2 = LongKernels.data(t[3]);
        float[] a1 = FusedKernels.floats(t[4]);
        float[] a2 = FusedKernels.floats(t[5]);
        float[] q1 = FusedKernels.floats(t[6]);
        float[] q2 = FusedKernels.floats(t[7]);
        int o = t[0].offset();
        int c1o = t[2].offset();
        int c2o = t[3].offset();
        int a1o = t[4].offset();
        int a2o = t[5].offset();
        int q1o = t[6].offset();
        int q2o = t[7].offset();
        int n = t[0].numel();
        int bs = (int) s[0];
        float beta1 = (float) s[1];
        float w1 = (float) s[2];
        float beta2 = (float) s[3];
        float w2 = (float) s[4];
        float epsC2 = (float) s[5];
        float step = (float) s[6];
        float decay = (float) s[7];
        boolean decays = s[8] != 0;
        float[] x1 = Scratch.floats(Scratch.BLOCK, bs);
        float[] x2 = Scratch.floats(Scratch.SECOND_BLOCK, bs);
        for (int b = b0; b < b1; b++) {
            int from = b * bs;
            int len = Math.min(n, from + bs) - from;
            float old1 = a1[a1o + b];
            float old2 = a2[a2o + b];
            float m1 = -Float.MAX_VALUE;
            float m2 = -Float.MAX_VALUE;
            for (int j = 0; j < len; j++) {
                int i = from + j;
                float gi = g[o + i];
                if (Float.isFinite(gi)) {
                    float v = q2[q2o + code(c2, c2o, i)] * old2;
                    x2[j] = v * beta2 + w2 * gi * gi;
                    float m = q1[q1o + code(c1, c1o, i)] * old1;
                    x1[j] = m * beta1 + w1 * gi;
                } else {
                    x1[j] = 0f;
                    x2[j] = 0f;
                }
                m1 = Quantization.fmaxf(m1, Math.abs(x1[j]));
                m2 = Quantization.fmaxf(m2, Math.abs(x2[j]));
            }
            a1[a1o + b] = m1;
            a2[a2o + b] = m2;
            for (int j = 0; j < len; j++) {
                int i = o + from + j;
                if (Float.isFinite(g[i])) {
                    float pi = p[i] + step * (x1[j] / ((float) Math.sqrt(x2[j]) + epsC2));
                    if (decays) {
                        pi = pi * decay;
                    }
                    p[i] = pi;
                }
            }
            for (int j = 0; j < len; j += 8) {
                long w1word = 0;
                long w2word = 0;
                for (int k = 0; k < 8 && j + k < len; k++) {
                    float v1 = x1[j + k];
                    long code1 = l1.signedStateCode(v1, v1 / m1);
                    long code2 = l2.nearest(x2[j + k] / m2);
                    w1word |= code1 << (k << 3);
                    w2word |= code2 << (k << 3);
                }
                c1[c1o + ((from + j) >>> 3)] = w1word;
                c2[c2o + ((from + j) >>> 3)] = w2word;
            }
        }
    }

    private static void momentum8bit(Tensor[] t, double[] s, CodeLookup l1, int b0, int b1) {
        float[] p = FusedKernels.floats(t[0]);
        float[] g = FusedKernels.floats(t[1]);
        long[] c1 = LongKernels.data(t[2]);
        float[] a1 = FusedKernels.floats(t[3]);
        float[] q1 = FusedKernels.floats(t[4]);
        int o = t[0].offset();
        int c1o = t[2].offset();
        int a1o = t[3].offset();
        int q1o = t[4].offset();
        int n = t[0].numel();
        int bs = (int) s[0];
        float wd = (float) s[1];
        float beta = (float) s[2];
        boolean first = s[3] != 0;
        float lr = (float) s[4];
        float[] x1 = Scratch.floats(Scratch.BLOCK, bs);
        for (int b = b0; b < b1; b++) {
            int from = b * bs;
            int len = Math.min(n, from + bs) - from;
            float old = a1[a1o + b];
            float m1 = -Float.MAX_VALUE;
            for (int j = 0; j < len; j++) {
                int i = o + from + j;
                float gi = g[i];
                if (wd > 0f) {
                    gi += p[i] * wd;
                }
                float v = q1[q1o + code(c1, c1o, from + j)] * old;
                x1[j] = first ? gi : v * beta + gi;
                m1 = Quantization.fmaxf(m1, Math.abs(x1[j]));
            }
            a1[a1o + b] = m1;
            for (int j = 0; j < len; j += 8) {
                long word = 0;
                for (int k = 0; k < 8 && j + k < len; k++) {
                    int i = o + from + j + k;
                    float v = x1[j + k];
                    p[i] = p[i] - lr * v;
                    word |= (long) l1.signedStateCode(v, v / m1) << (k << 3);
                }
                c1[c1o + ((from + j) >>> 3)] = word;
            }
        }
    }

    /** Code {@code i} of the packed codes starting at element {@code off} of {@code words}. */
    private static int code(long[] words, int off, int i) {
        return (int) (words[off + (i >>> 3)] >>> ((i & 7) << 3)) & 0xFF;
    }
}
