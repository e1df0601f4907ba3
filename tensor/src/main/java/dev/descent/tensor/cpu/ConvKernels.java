package dev.descent.tensor.cpu;

import dev.descent.tensor.ConvSpec;
import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;

import java.util.Arrays;

/**
 * 2-D convolution and its two gradients by im2col + GEMM (a 1-D convolution arrives as height 1).
 *
 * <p>For each chunk of samples and each group, the receptive fields are unfolded into a column matrix
 * {@code cols [C/g * KH * KW, chunk * OH * OW]} (one column per output position of every sample in the
 * chunk), and each kernel is one GEMM per chunk and group:
 * <pre>
 *   forward     Y  [O/g, chunk*P] = W [O/g, Kc] . cols
 *   input grad  dcols             = W^T . dY, then col2im adds dcols back into the input positions
 *   weight grad dW [O/g, Kc]     += dY . cols^T
 * </pre>
 * Y and dY are moved from or to the {@code [N, O, OH, OW]} layout in runs of {@code P = OH * OW}.
 *
 * <p>Threading: one GEMM at a time on all BLAS threads (the backend gives OpenBLAS as many threads as the
 * Java pool), with the unfolding on the calling thread unless one sample alone outgrows a chunk.
 * Measured on the cnn benchmark's convolutions (batch 64, 2 cores, FLOAT32):
 * <ul>
 *   <li>Unfolding on the pool between GEMMs was slower (conv2 forward 5.5 ms against 5.1 ms): workers
 *       are woken once per chunk, and the columns they write must then move to the core running BLAS.
 *   <li>Samples in parallel on the Java pool, each GEMM on one BLAS thread, was about twice as fast
 *       (conv2 forward 2.8 ms), but only with OpenBLAS fixed at one thread, and switching OpenBLAS's
 *       thread count around a call cost 0.2 to 5 ms per switch (OpenBLAS 0.3.31), more than it saves.
 *       That schedule needs the backend's thread policy itself to change (BLAS on one thread).
 * </ul>
 */
final class ConvKernels {
    /**
     * Column-matrix elements per chunk and BLAS thread. A chunk (512 KiB per thread in FLOAT32) stays in
     * cache while it is written, copied to BLAS scratch and multiplied: on the cnn benchmark's second conv,
     * the GEMMs with their copies ran 1.4x faster on chunks of this size than on one column matrix for the
     * whole batch (8.5 MiB), and the whole kernels 10 to 20% faster than with chunks 4 or 8 times larger,
     * with one BLAS thread or two.
     */
    private static final int CHUNK_ELEMENTS_PER_THREAD = 1 << 17;

    private ConvKernels() {
    }

    static void forward(ConvSpec spec, Tensor x, Tensor w, Tensor out) {
        forward(spec, x, w, null, out);
    }

    /** The forward pass, adding {@code bias} ([O], contiguous, or null) as each output block is moved out. */
    static void forward(ConvSpec spec, Tensor x, Tensor w, Tensor bias, Tensor out) {
        Geometry g = new Geometry(spec, x.shape(), w.shape());
        if (out.numel() == 0) {
            return;
        }
        Operand xs = Operand.of(x);
        Operand ws = Operand.of(w);
        Operand os = Operand.of(out);
        int chunk = g.chunk();
        Object cols = newArray(x.dtype(), g.kc * chunk * g.p);
        Object y = newArray(x.dtype(), g.og * chunk * g.p);
        for (int n0 = 0; n0 < g.n; n0 += chunk) {
            int nc = Math.min(chunk, g.n - n0);
            int cw = nc * g.p;
            for (int grp = 0; grp < g.groups; grp++) {
                im2col(g, xs, n0, nc, grp, cols);
                Gemm.gemm(false, false, g.og, cw, g.kc, ws.data, ws.offset + grp * g.og * g.kc, g.kc,
                        cols, 0, cw, y, 0, cw, false);
                if (bias == null) {
                    moveOutputBlock(g, y, os, n0, nc, grp, true);
                } else {
                    moveOutputBlockAddingBias(g, y, os, n0, nc, grp, Operand.of(bias));
                }
            }
        }
    }

    static void inputGrad(ConvSpec spec, Tensor gradOut, Tensor w, Tensor gradIn) {
        Geometry g = new Geometry(spec, gradIn.shape(), w.shape());
        if (gradIn.numel() == 0) {
            return;
        }
        Operand dys = Operand.of(gradOut);
        Operand ws = Operand.of(w);
        Operand dxs = Operand.of(gradIn);
        int chunk = g.chunk();
        Object cols = newArray(w.dtype(), g.kc * chunk * g.p);
        Object dy = newArray(w.dtype(), g.og * chunk * g.p);
        for (int n0 = 0; n0 < g.n; n0 += chunk) {
            int nc = Math.min(chunk, g.n - n0);
            int cw = nc * g.p;
            for (int grp = 0; grp < g.groups; grp++) {
                moveOutputBlock(g, dy, dys, n0, nc, grp, false);
                Gemm.gemm(true, false, g.kc, cw, g.og, ws.data, ws.offset + grp * g.og * g.kc, g.kc,
                        dy, 0, cw, cols, 0, cw, false);
                col2im(g, cols, dxs, n0, nc, grp);
            }
        }
    }

    static void weightGrad(ConvSpec spec, Tensor x, Tensor gradOut, Tensor gradW) {
        Geometry g = new Geometry(spec, x.shape(), gradW.shape());
        if (gradW.numel() == 0) {
            return;
        }
        Operand xs = Operand.of(x);
        Operand dys = Operand.of(gradOut);
        Operand dws = Operand.of(gradW);
        int chunk = g.chunk();
        Object cols = newArray(x.dtype(), g.kc * chunk * g.p);
        Object dy = newArray(x.dtype(), g.og * chunk * g.p);
        for (int n0 = 0; n0 < g.n; n0 += chunk) {
            int nc = Math.min(chunk, g.n - n0);
            int cw = nc * g.p;
            for (int grp = 0; grp < g.groups; grp++) {
                im2col(g, xs, n0, nc, grp, cols);
                moveOutputBlock(g, dy, dys, n0, nc, grp, false);
                // gradW starts zero-filled, so every chunk accumulates; chunks run in order, so sums are deterministic
                Gemm.gemm(false, true, g.og, g.kc, cw, dy, 0, cw, cols, 0, cw,
                        dws.data, dws.offset + grp * g.og * g.kc, g.kc, true);
            }
        }
    }

    /**
     * Unfolds group {@code grp} of samples [n0, n0 + nc) into {@code cols}: row {@code (c, kh, kw)}, column
     * {@code sample * P + oh * OW + ow} holds the input that tap (kh, kw) of channel c sees at (oh, ow), zero
     * in the padding.
     */
    private static void im2col(Geometry g, Operand x, int n0, int nc, int grp, Object cols) {
        int ld = nc * g.p;
        Parallel.forRange(nc * g.cg, g.grain(), (start, end) -> {
            for (int item = start; item < end; item++) {
                int sample = item / g.cg;
                int ch = item - sample * g.cg;
                int plane = x.offset + ((n0 + sample) * g.c + grp * g.cg + ch) * g.h * g.w;
                int row = ch * g.kh * g.kw;
                for (int kh = 0; kh < g.kh; kh++) {
                    for (int kw = 0; kw < g.kw; kw++, row++) {
                        tapToRow(g, x.data, plane, kh, kw, cols, row * ld + sample * g.p);
                    }
                }
            }
        });
    }

    /** Writes what tap (kh, kw) sees of one input plane at every output position to {@code dst} from {@code d}. */
    private static void tapToRow(Geometry g, Object x, int plane, int kh, int kw, Object dst, int d) {
        int lo = g.firstInside[kw];
        int hi = g.endInside[kw];
        int src = plane + g.firstColumn[kw];
        for (int oh = 0; oh < g.oh; oh++, d += g.ow) {
            int ih = oh * g.strideH + kh * g.dilationH - g.padH;
            if (ih < 0 || ih >= g.h) {
                zeroRun(dst, d, g.ow);
                continue;
            }
            zeroRun(dst, d, lo);
            if (hi > lo) {
                copyRun(x, src + ih * g.w, g.strideW, dst, d + lo, hi - lo);
            }
            zeroRun(dst, d + hi, g.ow - hi);
        }
    }

    /**
     * The adjoint of {@link #im2col}: adds every column entry back into the input position it came from.
     * Work is split by (sample, channel), so no two threads write one input plane.
     */
    private static void col2im(Geometry g, Object cols, Operand dx, int n0, int nc, int grp) {
        int ld = nc * g.p;
        Parallel.forRange(nc * g.cg, g.grain(), (start, end) -> {
            for (int item = start; item < end; item++) {
                int sample = item / g.cg;
                int ch = item - sample * g.cg;
                int plane = dx.offset + ((n0 + sample) * g.c + grp * g.cg + ch) * g.h * g.w;
                int row = ch * g.kh * g.kw;
                for (int kh = 0; kh < g.kh; kh++) {
                    for (int kw = 0; kw < g.kw; kw++, row++) {
                        rowToTap(g, cols, row * ld + sample * g.p, dx.data, plane, kh, kw);
                    }
                }
            }
        });
    }

    /** Adds one row of column entries back into the input plane positions that tap (kh, kw) saw. */
    private static void rowToTap(Geometry g, Object src, int d, Object dx, int plane, int kh, int kw) {
        int lo = g.firstInside[kw];
        int hi = g.endInside[kw];
        int dst = plane + g.firstColumn[kw];
        for (int oh = 0; oh < g.oh; oh++, d += g.ow) {
            int ih = oh * g.strideH + kh * g.dilationH - g.padH;
            if (ih >= 0 && ih < g.h) {
                addRun(src, d + lo, dx, dst + ih * g.w, g.strideW, hi - lo);
            }
        }
    }

    /**
     * Moves group {@code grp} of samples [n0, n0 + nc) between a {@code [N, O, P]} tensor and the block
     * {@code [O/g, nc * P]} that the GEMMs use: into the tensor when {@code toTensor}, else out of it.
     */
    private static void moveOutputBlock(Geometry g, Object block, Operand t, int n0, int nc, int grp, boolean toTensor) {
        int ld = nc * g.p;
        for (int o = 0; o < g.og; o++) {
            for (int sample = 0; sample < nc; sample++) {
                int tOff = t.offset + ((n0 + sample) * g.o + grp * g.og + o) * g.p;
                int bOff = o * ld + sample * g.p;
                if (toTensor) {
                    System.arraycopy(block, bOff, t.data, tOff, g.p);
                } else {
                    System.arraycopy(t.data, tOff, block, bOff, g.p);
                }
            }
        }
    }

    /** {@link #moveOutputBlock} into the tensor, adding output channel o's bias to its runs. */
    private static void moveOutputBlockAddingBias(Geometry g, Object block, Operand t, int n0, int nc, int grp,
                                                  Operand bias) {
        int ld = nc * g.p;
        for (int o = 0; o < g.og; o++) {
            int channel = bias.offset + grp * g.og + o;
            for (int sample = 0; sample < nc; sample++) {
                int tOff = t.offset + ((n0 + sample) * g.o + grp * g.og + o) * g.p;
                int bOff = o * ld + sample * g.p;
                if (block instanceof float[] f) {
                    float[] dst = (float[]) t.data;
                    float b = ((float[]) bias.data)[channel];
                    for (int i = 0; i < g.p; i++) {
                        dst[tOff + i] = f[bOff + i] + b;
                    }
                } else {
                    double[] f = (double[]) block;
                    double[] dst = (double[]) t.data;
                    double b = ((double[]) bias.data)[channel];
                    for (int i = 0; i < g.p; i++) {
                        dst[tOff + i] = f[bOff + i] + b;
                    }
                }
            }
        }
    }

    private static void copyRun(Object src, int s, int step, Object dst, int d, int len) {
        if (step == 1) {
            System.arraycopy(src, s, dst, d, len);
        } else if (src instanceof float[] f) {
            float[] t = (float[]) dst;
            for (int i = 0; i < len; i++) {
                t[d + i] = f[s + i * step];
            }
        } else {
            double[] f = (double[]) src;
            double[] t = (double[]) dst;
            for (int i = 0; i < len; i++) {
                t[d + i] = f[s + i * step];
            }
        }
    }

    private static void addRun(Object src, int s, Object dst, int d, int step, int len) {
        if (step == 1 && src instanceof float[] f) {
            // unit stride (the common case) in its own loop, which HotSpot vectorises
            float[] t = (float[]) dst;
            for (int i = 0; i < len; i++) {
                t[d + i] += f[s + i];
            }
        } else if (src instanceof float[] f) {
            float[] t = (float[]) dst;
            for (int i = 0; i < len; i++) {
                t[d + i * step] += f[s + i];
            }
        } else {
            double[] f = (double[]) src;
            double[] t = (double[]) dst;
            for (int i = 0; i < len; i++) {
                t[d + i * step] += f[s + i];
            }
        }
    }

    private static void zeroRun(Object dst, int d, int len) {
        if (len <= 0) {
            return;
        }
        if (dst instanceof float[] f) {
            Arrays.fill(f, d, d + len, 0f);
        } else {
            Arrays.fill((double[]) dst, d, d + len, 0.0);
        }
    }

    private static Object newArray(DType dtype, int size) {
        return dtype == DType.FLOAT32 ? new float[size] : new double[size];
    }

    /** The array and first element of a contiguous copy (or the tensor itself when already contiguous). */
    private record Operand(Object data, int offset) {
        static Operand of(Tensor t) {
            Tensor c = t.contiguous();
            return new Operand(CopyKernels.data(c), c.offset());
        }
    }

    /**
     * Sizes of one convolution (input [n, c, h, w], weight [o, c/groups, kh, kw], output [n, o, oh, ow]), and
     * for each kernel column kw the output columns [firstInside, endInside) whose input column lies inside
     * the image, the first of which reads input column {@code firstColumn}.
     */
    private static final class Geometry {
        final int n, c, h, w, o, kh, kw, oh, ow, groups;
        final int strideH, strideW, padH, dilationH;
        /** Channels per group in and out, column-matrix rows, output positions per plane. */
        final int cg, og, kc, p;
        final int[] firstInside;
        final int[] endInside;
        final int[] firstColumn;

        Geometry(ConvSpec spec, Shape x, Shape wt) {
            n = x.get(0);
            c = x.get(1);
            h = x.get(2);
            w = x.get(3);
            o = wt.get(0);
            kh = wt.get(2);
            kw = wt.get(3);
            oh = spec.outHeight(h, kh);
            ow = spec.outWidth(w, kw);
            groups = spec.groups();
            strideH = spec.strideH();
            strideW = spec.strideW();
            padH = spec.padH();
            dilationH = spec.dilationH();
            cg = c / groups;
            og = o / groups;
            kc = cg * kh * kw;
            p = oh * ow;
            firstInside = new int[kw];
            endInside = new int[kw];
            firstColumn = new int[kw];
            for (int j = 0; j < kw; j++) {
                int base = j * spec.dilationW() - spec.padW();
                firstInside[j] = Math.min(ow, Math.max(0, ceilDiv(-base, strideW)));
                endInside[j] = Math.max(firstInside[j], Math.min(ow, ceilDiv(w - base, strideW)));
                firstColumn[j] = firstInside[j] * strideW + base;
            }
        }

        /** Samples per chunk: as many as fit the chunk budget, at least one, spread evenly over the chunks. */
        int chunk() {
            int budget = CHUNK_ELEMENTS_PER_THREAD * Math.max(1, Parallel.threads());
            int fit = Math.max(1, budget / Math.max(1, kc * p));
            int chunks = Math.max(1, (n + fit - 1) / fit);
            return Math.max(1, (n + chunks - 1) / chunks);
        }

        /**
         * Parallel grain in (sample, channel) items for the unfolding loops: one thread's chunk share, so only
         * a single sample larger than a whole chunk is split (the class comment says why smaller ones are not).
         */
        int grain() {
            return Math.max(1, CHUNK_ELEMENTS_PER_THREAD / Math.max(1, kh * kw * p));
        }

        private static int ceilDiv(int a, int b) {
            return -Math.floorDiv(-a, b);
        }
    }
}
