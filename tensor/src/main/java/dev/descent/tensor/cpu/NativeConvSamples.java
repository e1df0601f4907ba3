package dev.descent.tensor.cpu;

/**
 * FLOAT32 convolution kernels that work one sample at a time in C ({@code src/main/c/descent_conv_samples.c}, part
 * of {@link NativeLibrary}), each call a range of samples on the calling thread, so that {@link ConvBySample} can
 * run ranges side by side on the Java pool. The products are Descent's own small AVX-512 GEMM
 * ({@code descent_small_gemm.c}): every output element is one chain of fused multiply-adds in a fixed order, so
 * the bits do not depend on the thread count (a Java loop of {@link Math#fma} in that order gives them exactly).
 *
 * <p>The arrays are pinned for the call; every index range is checked here first, so that a bad offset is an
 * exception rather than a memory error. {@link #active()} is false when the library did not load, when the
 * processor lacks AVX-512, or when the system property {@code descent.conv.samples=false} or
 * {@link #setEnabled} chose the chunked OpenBLAS path ({@link ConvKernels}).
 */
final class NativeConvSamples {
    /** Floats of scratch spare for aligning its start to 64 bytes, and for the second region's alignment. */
    private static final int ALIGNMENT_SLACK = 32;

    private static final boolean SUPPORTED = NativeLibrary.hasAvx512();
    private static volatile boolean enabled = !"false".equals(System.getProperty("descent.conv.samples"));

    private NativeConvSamples() {
    }

    /** Whether the per-sample C kernels run: the library loaded, the processor has AVX-512, and they were not turned off. */
    static boolean active() {
        return SUPPORTED && enabled;
    }

    /** Chooses the per-sample C kernels (where supported) or the chunked OpenBLAS path; for tests that compare the two. */
    static void setEnabled(boolean on) {
        enabled = on;
    }

    /** Column-matrix row length: output positions rounded up to whole 64-byte lines. */
    static int leadingDimension(ConvKernels.Geometry g) {
        return (g.p + 15) & ~15;
    }

    /** Scratch floats that one range of the forward or input-gradient kernel needs. */
    static int columnScratch(ConvKernels.Geometry g) {
        return Math.toIntExact((long) g.kc * leadingDimension(g) + ALIGNMENT_SLACK);
    }

    /** Scratch floats that one range of the weight-gradient kernel needs: the columns and dY^T [p x og]. */
    static int weightScratch(ConvKernels.Geometry g) {
        return Math.toIntExact((long) columnScratch(g) + (long) g.p * g.og);
    }

    /** out = conv(x, w) (+ bias, [o] from bOff, when not null) for samples [n0, n1). */
    static void forward(ConvKernels.Geometry g, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                        float[] out, int outOff, int n0, int n1, float[] scratch) {
        String op = "conv2d";
        checkSamples(op, g, n0, n1);
        check(op, "input", x.length, xOff, (long) n1 * g.c * g.h * g.w);
        check(op, "weight", w.length, wOff, (long) g.o * g.kc);
        if (bias != null) {
            check(op, "bias", bias.length, bOff, g.o);
        }
        check(op, "output", out.length, outOff, (long) n1 * g.o * g.p);
        check(op, "scratch", scratch.length, 0, columnScratch(g));
        forwardSamples(x, xOff, w, wOff, bias, bOff, out, outOff, geometry(g), g.firstInside, g.endInside,
                g.firstColumn, n0, n1, scratch);
    }

    /**
     * dx += the input gradient of samples [n0, n1), from dY and wT, the weight transposed per group
     * ([groups][kc][og]).
     */
    static void inputGrad(ConvKernels.Geometry g, float[] dy, int dyOff, float[] wT, float[] dx, int dxOff, int n0,
                          int n1, float[] scratch) {
        String op = "conv2d input gradient";
        checkSamples(op, g, n0, n1);
        check(op, "output gradient", dy.length, dyOff, (long) n1 * g.o * g.p);
        check(op, "transposed weight", wT.length, 0, (long) g.o * g.kc);
        check(op, "input gradient", dx.length, dxOff, (long) n1 * g.c * g.h * g.w);
        check(op, "scratch", scratch.length, 0, columnScratch(g));
        inputGradSamples(dy, dyOff, wT, dx, dxOff, geometry(g), g.firstInside, g.endInside, g.firstColumn, n0, n1,
                scratch);
    }

    /** dwT ([groups][kc][og]) += the weight gradient of samples [n0, n1), summed sample after sample. */
    static void weightGrad(ConvKernels.Geometry g, float[] x, int xOff, float[] dy, int dyOff, float[] dwT, int n0,
                           int n1, float[] scratch) {
        String op = "conv2d weight gradient";
        checkSamples(op, g, n0, n1);
        check(op, "input", x.length, xOff, (long) n1 * g.c * g.h * g.w);
        check(op, "output gradient", dy.length, dyOff, (long) n1 * g.o * g.p);
        check(op, "transposed weight gradient", dwT.length, 0, (long) g.o * g.kc);
        check(op, "scratch", scratch.length, 0, weightScratch(g));
        weightGradSamples(x, xOff, dy, dyOff, dwT, geometry(g), g.firstInside, g.endInside, g.firstColumn, n0, n1,
                scratch);
    }

    private static int[] geometry(ConvKernels.Geometry g) {
        return new int[] {g.c, g.h, g.w, g.kh, g.kw, g.oh, g.ow, g.strideH, g.strideW, g.padH, g.dilationH, g.cg, g.p,
                g.o, g.og, g.kc, leadingDimension(g)};
    }

    private static void checkSamples(String op, ConvKernels.Geometry g, int n0, int n1) {
        if (n0 < 0 || n1 < n0 || n1 > g.n) {
            throw new IllegalStateException(op + ": samples [" + n0 + ", " + n1 + ") outside a batch of " + g.n);
        }
    }

    private static void check(String op, String what, int length, int offset, long needed) {
        if (offset < 0 || offset + needed > length) {
            throw new IllegalStateException(op + ": the " + what + " needs " + needed + " floats from offset " + offset
                    + ", its array has " + length);
        }
    }

    private static native void forwardSamples(float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                                              float[] out, int outOff, int[] geometry, int[] firstInside,
                                              int[] endInside, int[] firstColumn, int n0, int n1, float[] scratch);

    private static native void inputGradSamples(float[] dy, int dyOff, float[] wT, float[] dx, int dxOff,
                                                int[] geometry, int[] firstInside, int[] endInside,
                                                int[] firstColumn, int n0, int n1, float[] scratch);

    private static native void weightGradSamples(float[] x, int xOff, float[] dy, int dyOff, float[] dwT,
                                                 int[] geometry, int[] firstInside, int[] endInside,
                                                 int[] firstColumn, int n0, int n1, float[] scratch);
}
