package dev.descent.tensor.cpu;

/**
 * The FLOAT32 softmax row kernels of {@link FloatSoftmaxRows} in C ({@code src/main/c/descent_softmax.c}, part
 * of {@link NativeLibrary}), vectorised for the machine's best instruction set (AVX-512, AVX2 or baseline x86-64,
 * chosen when the library loads: {@link #useInstructionSet}). They compute the same bits as the Java kernels:
 * every float and double operation in the same order, the same exponential ({@link FloatExp}), partial sums and
 * logarithm ({@link FloatSoftmaxRows#ln}); only the NaNs that a NaN row produces may differ in their payload
 * bits, which Java leaves unspecified. HotSpot 17 vectorises the Java kernels' exponential and sums poorly: on
 * the shapes of a small Transformer at one thread the C kernels are 1.4 (causal backward) to 3.5 (log-softmax
 * forward) times faster.
 *
 * <p>The arrays are pinned ({@code GetPrimitiveArrayCritical}) for one range of rows per call, read and written
 * in place: storage stays the tensors' Java arrays (DESIGN §2). Every index range is checked here before the
 * call, so that a bad offset is an exception rather than a memory error. {@link #active()} is false when the
 * library did not load ({@link NativeLibrary#problem()}), or when the system property
 * {@code descent.softmax.java=true} or {@link #setEnabled} chose the Java kernels.
 */
final class NativeSoftmax {
    private static volatile boolean enabled = !Boolean.getBoolean("descent.softmax.java");

    private NativeSoftmax() {
    }

    /** Whether the FLOAT32 softmax kernels run in C: the library loaded and the Java kernels were not chosen. */
    static boolean active() {
        return NativeLibrary.problem() == null && enabled;
    }

    /** Chooses the C kernels (when the library loaded) or the Java ones; for tests that compare the two. */
    static void setEnabled(boolean on) {
        enabled = on;
    }

    /**
     * Chooses the instruction set of the C kernels: 2 AVX-512, 1 AVX2, 0 baseline x86-64 (SSE2), or the highest
     * that the processor has below the one asked for; returns the one chosen. All give the same bits; the best is
     * chosen when the library loads. For tests, and not while kernels run.
     */
    static int useInstructionSet(int level) {
        if (NativeLibrary.problem() != null) {
            throw new IllegalStateException("softmax: " + NativeLibrary.problem());
        }
        return chooseInstructionSet(level);
    }

    /** {@link FloatSoftmaxRows#forward} over rows [r0, r1) of {@code cols} columns, x from xo and out from oo. */
    static void forward(float[] x, int xo, float[] out, int oo, int cols, boolean log, int r0, int r1) {
        String op = log ? "logSoftmax" : "softmax";
        checkRows(op, r0, r1, cols);
        checkRange(op, "input", x.length, xo, r1, cols);
        checkRange(op, "output", out.length, oo, r1, cols);
        forwardRows(x, xo, out, oo, cols, log, r0, r1);
    }

    /** {@link FloatSoftmaxRows#backward} over rows [r0, r1): y from yo, g from go, out from oo. */
    static void backward(float[] y, int yo, float[] g, int go, float[] out, int oo, int cols, boolean log, int r0,
                         int r1) {
        String op = log ? "logSoftmaxBackward" : "softmaxBackward";
        checkRows(op, r0, r1, cols);
        checkRange(op, "output", y.length, yo, r1, cols);
        checkRange(op, "gradient", g.length, go, r1, cols);
        checkRange(op, "result", out.length, oo, r1, cols);
        backwardRows(y, yo, g, go, out, oo, cols, log, r0, r1);
    }

    /** {@link FloatSoftmaxRows#causalForward} over rows [r0, r1) of {@code [lq, lk]} score matrices. */
    static void causalForward(float[] x, int xo, float[] out, int oo, int lq, int lk, float scale, int r0, int r1) {
        String op = "causalSoftmax";
        checkCausal(op, lq, lk, r0, r1);
        checkRange(op, "input", x.length, xo, r1, lk);
        checkRange(op, "output", out.length, oo, r1, lk);
        causalForwardRows(x, xo, out, oo, lq, lk, scale, r0, r1);
    }

    /** {@link FloatSoftmaxRows#causalBackward} over rows [r0, r1): y from yo, g from go, out from oo. */
    static void causalBackward(float[] y, int yo, float[] g, int go, float[] out, int oo, int lq, int lk,
                               float scale, int r0, int r1) {
        String op = "causalSoftmaxBackward";
        checkCausal(op, lq, lk, r0, r1);
        checkRange(op, "output", y.length, yo, r1, lk);
        checkRange(op, "gradient", g.length, go, r1, lk);
        checkRange(op, "result", out.length, oo, r1, lk);
        causalBackwardRows(y, yo, g, go, out, oo, lq, lk, scale, r0, r1);
    }

    private static void checkRows(String op, int r0, int r1, int cols) {
        if (r0 < 0 || r1 < r0 || cols < 0) {
            throw new IndexOutOfBoundsException(op + ": rows [" + r0 + ", " + r1 + ") of " + cols + " columns");
        }
    }

    private static void checkCausal(String op, int lq, int lk, int r0, int r1) {
        if (r1 > r0 && (lq < 1 || lk < 1)) {
            throw new IllegalArgumentException(op + ": rows of [" + lq + ", " + lk + "] score matrices (both sizes"
                    + " must be positive)");
        }
        checkRows(op, r0, r1, lk);
    }

    /** Rows [0, r1) of {@code cols} elements from {@code offset} must lie in an array of {@code length}. */
    private static void checkRange(String op, String which, int length, int offset, int r1, int cols) {
        if (offset < 0 || offset + (long) r1 * cols > length) {
            throw new IndexOutOfBoundsException(op + ": " + r1 + " rows of " + cols + " from offset " + offset
                    + " overrun the " + which + "'s array of " + length + " elements");
        }
    }

    private static native int chooseInstructionSet(int level);

    private static native void forwardRows(float[] x, int xo, float[] out, int oo, int cols, boolean log, int r0,
                                           int r1);

    private static native void backwardRows(float[] y, int yo, float[] g, int go, float[] out, int oo, int cols,
                                            boolean log, int r0, int r1);

    private static native void causalForwardRows(float[] x, int xo, float[] out, int oo, int lq, int lk,
                                                 float scale, int r0, int r1);

    private static native void causalBackwardRows(float[] y, int yo, float[] g, int go, float[] out, int oo, int lq,
                                                  int lk, float scale, int r0, int r1);
}
