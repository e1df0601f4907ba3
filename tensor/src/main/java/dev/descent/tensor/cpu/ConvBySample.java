package dev.descent.tensor.cpu;

import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;

/**
 * FLOAT32 convolution kernels with the samples of a batch split over the Java pool, each range running
 * {@link NativeConvSamples} on one thread with its own scratch. The chunked path ({@link ConvKernels}) runs one
 * OpenBLAS GEMM at a time over all BLAS threads, and on the cnn benchmark it gained almost nothing from a second
 * thread: its GEMMs are too small to split well (conv2: 64 x 288 by 288 x 363). Here each thread multiplies whole
 * samples, with operands that stay in its own cache.
 *
 * <p>The weight gradient is summed over a fixed number of sample chunks ({@link #WEIGHT_CHUNKS}, whatever the
 * thread count): each chunk sums its samples in order into its own partial, and the partials are added in chunk
 * order, so the bits do not depend on the number of threads.
 */
final class ConvBySample {
    /** Sample chunks of the weight gradient: enough to balance a few threads, few enough that their partials stay small. */
    static final int WEIGHT_CHUNKS = 8;

    /**
     * Column-matrix floats per sample above which the chunked OpenBLAS path is used: past about half of L2, the
     * small GEMM, which does not block its operands, stops fitting its cache.
     */
    private static final long MAX_COLUMNS_PER_SAMPLE = 1 << 19;

    private ConvBySample() {
    }

    /** Whether the per-sample kernels take a convolution of this type and geometry. */
    static boolean takes(DType dtype, ConvKernels.Geometry g) {
        return dtype == DType.FLOAT32 && NativeConvSamples.active()
                && (long) g.kc * NativeConvSamples.leadingDimension(g) <= MAX_COLUMNS_PER_SAMPLE;
    }

    static void forward(ConvKernels.Geometry g, ConvKernels.Operand x, ConvKernels.Operand w, ConvKernels.Operand bias,
                        ConvKernels.Operand out) {
        float[] b = bias == null ? null : (float[]) bias.data();
        int bOff = bias == null ? 0 : bias.offset();
        Parallel.forRange(g.n, 2, (n0, n1) -> NativeConvSamples.forward(g, (float[]) x.data(), x.offset(),
                (float[]) w.data(), w.offset(), b, bOff, (float[]) out.data(), out.offset(), n0, n1,
                new float[NativeConvSamples.columnScratch(g)]));
    }

    /** gradIn += the input gradient. */
    static void inputGrad(ConvKernels.Geometry g, ConvKernels.Operand dy, ConvKernels.Operand w, ConvKernels.Operand dx) {
        float[] wT = transposedPerGroup(g, (float[]) w.data(), w.offset());
        Parallel.forRange(g.n, 2, (n0, n1) -> NativeConvSamples.inputGrad(g, (float[]) dy.data(), dy.offset(), wT,
                (float[]) dx.data(), dx.offset(), n0, n1, new float[NativeConvSamples.columnScratch(g)]));
    }

    /** gradW += the weight gradient. */
    static void weightGrad(ConvKernels.Geometry g, ConvKernels.Operand x, ConvKernels.Operand dy, ConvKernels.Operand dw) {
        int chunks = Math.min(g.n, WEIGHT_CHUNKS);
        int size = g.o * g.kc;
        float[][] partials = new float[chunks][size];
        Parallel.forRange(chunks, 2, (c0, c1) -> {
            float[] scratch = new float[NativeConvSamples.weightScratch(g)];
            for (int c = c0; c < c1; c++) {
                NativeConvSamples.weightGrad(g, (float[]) x.data(), x.offset(), (float[]) dy.data(), dy.offset(),
                        partials[c], sampleStart(g.n, chunks, c), sampleStart(g.n, chunks, c + 1), scratch);
            }
        });
        if (chunks == 0) {
            return;
        }
        float[] total = partials[0];
        for (int c = 1; c < chunks; c++) {
            float[] p = partials[c];
            for (int i = 0; i < size; i++) {
                total[i] += p[i];
            }
        }
        float[] dwd = (float[]) dw.data();
        for (int grp = 0; grp < g.groups; grp++) {
            for (int r = 0; r < g.og; r++) {
                int row = dw.offset() + (grp * g.og + r) * g.kc;
                int col = grp * g.kc * g.og + r;
                for (int k = 0; k < g.kc; k++) {
                    dwd[row + k] += total[col + k * g.og];
                }
            }
        }
    }

    /** First sample of chunk c when n samples are cut into the given number of chunks. */
    static int sampleStart(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }

    /** w [o][kc] as [groups][kc][og]: each group's block transposed. */
    private static float[] transposedPerGroup(ConvKernels.Geometry g, float[] w, int off) {
        float[] t = new float[g.o * g.kc];
        for (int grp = 0; grp < g.groups; grp++) {
            int base = grp * g.og * g.kc;
            for (int r = 0; r < g.og; r++) {
                for (int k = 0; k < g.kc; k++) {
                    t[base + k * g.og + r] = w[off + base + r * g.kc + k];
                }
            }
        }
        return t;
    }
}
