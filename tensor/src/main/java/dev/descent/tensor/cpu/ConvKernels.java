package dev.descent.tensor.cpu;

import dev.descent.tensor.ConvSpec;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;

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
 * Y and dY are moved from or to the {@code [N, O, OH, OW]} layout in runs of {@code P = OH * OW}. All operands
 * are laid out straight in BLAS's off-heap scratch ({@link ConvColumns}), and the weight gradient stays there
 * over all chunks: on the cnn benchmark's convolutions (1 thread) this took the five kernels of a step from
 * 26.4 to 21.7 ms against building them in Java arrays and copying them in and out.
 *
 * <p>FLOAT32 convolutions go to {@link ConvBySample} instead (samples on the Java pool, a GEMM of our own) when the
 * native library and AVX-512 are there; this path serves FLOAT64, very large samples and machines without them.
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
     * cache while it is written and multiplied (measured when it was still copied to BLAS scratch): on the cnn benchmark's second conv,
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
        Operand bs = bias == null ? null : Operand.of(bias);
        if (ConvBySample.takes(x.dtype(), g)) {
            ConvBySample.forward(g, xs, ws, bs, os);
            return;
        }
        int chunk = g.chunk();
        BlasScratch s = Gemm.scratch(x.dtype(), g.o * g.kc, g.kc * chunk * g.p, g.og * chunk * g.p);
        ConvColumns.put(ws.data, ws.offset, s.viewA(), 0, g.o * g.kc);
        for (int n0 = 0; n0 < g.n; n0 += chunk) {
            int nc = Math.min(chunk, g.n - n0);
            int cw = nc * g.p;
            for (int grp = 0; grp < g.groups; grp++) {
                ConvColumns.im2col(g, xs, n0, nc, grp, s.viewB());
                s.gemmAt(false, grp * g.og * g.kc, g.kc, false, 0, cw, g.og, cw, g.kc, 0, cw, false);
                ConvColumns.blockToTensor(g, s.viewC(), os, n0, nc, grp, bs);
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
        if (ConvBySample.takes(w.dtype(), g)) {
            ConvBySample.inputGrad(g, dys, ws, dxs);
            return;
        }
        int chunk = g.chunk();
        BlasScratch s = Gemm.scratch(w.dtype(), g.o * g.kc, g.og * chunk * g.p, g.kc * chunk * g.p);
        ConvColumns.put(ws.data, ws.offset, s.viewA(), 0, g.o * g.kc);
        for (int n0 = 0; n0 < g.n; n0 += chunk) {
            int nc = Math.min(chunk, g.n - n0);
            int cw = nc * g.p;
            for (int grp = 0; grp < g.groups; grp++) {
                ConvColumns.tensorToBlock(g, dys, n0, nc, grp, s.viewB());
                s.gemmAt(true, grp * g.og * g.kc, g.kc, false, 0, cw, g.kc, cw, g.og, 0, cw, false);
                ConvColumns.col2im(g, s.viewC(), dxs, n0, nc, grp);
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
        if (ConvBySample.takes(x.dtype(), g)) {
            ConvBySample.weightGrad(g, xs, dys, dws);
            return;
        }
        int chunk = g.chunk();
        BlasScratch s = Gemm.scratch(x.dtype(), g.og * chunk * g.p, g.kc * chunk * g.p, g.o * g.kc);
        for (int n0 = 0; n0 < g.n; n0 += chunk) {
            int nc = Math.min(chunk, g.n - n0);
            int cw = nc * g.p;
            for (int grp = 0; grp < g.groups; grp++) {
                ConvColumns.im2col(g, xs, n0, nc, grp, s.viewB());
                ConvColumns.tensorToBlock(g, dys, n0, nc, grp, s.viewA());
                // dW stays in C's scratch over all chunks (the first one overwrites, later ones add); chunks
                // run in order, so sums are deterministic
                s.gemmAt(false, 0, cw, true, 0, cw, g.og, g.kc, cw, grp * g.og * g.kc, g.kc, n0 > 0);
            }
        }
        if (g.n > 0) { // else no chunk ran and C holds nothing of this call
            ConvColumns.addTo(s.viewC(), 0, dws.data, dws.offset, g.o * g.kc);
        }
    }

    /** The array and first element of a contiguous copy (or the tensor itself when already contiguous). */
    record Operand(Object data, int offset) {
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
    static final class Geometry {
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
