package dev.descent.tensor.cpu;

/**
 * Layer normalisation of FLOAT32 rows in C ({@code src/main/c/descent_norm.c}, part of {@link NativeLibrary}): the
 * same arithmetic as {@link FloatNormRows}, operation for operation, so that both give the same bits, with the
 * loops vectorised by gcc: on [2048, 128] rows at 1 thread, 0.32 -> 0.13 ms forward and 0.41 - 0.48 -> 0.32 - 0.36
 * ms backward (the backward's row sums are chains of dependent additions in either language). The arrays are pinned for the call, as {@link NativeGemm}'s are; every range is checked here
 * first, since the C code reads and writes raw memory.
 *
 * <p>Inactive when the library is missing, or with the system property {@code descent.norm.java=true}; the
 * kernels then run {@link FloatNormRows}.
 */
final class NativeNorm {
    private static volatile boolean enabled = !Boolean.getBoolean("descent.norm.java");

    private NativeNorm() {
    }

    /** Whether the C kernels run: the library loaded and the Java path was not chosen. */
    static boolean active() {
        return enabled && NativeLibrary.problem() == null;
    }

    /** Chooses the C kernels (when available) or the Java ones; for tests that compare the two. */
    static void setEnabled(boolean on) {
        enabled = on;
    }

    /** As {@link FloatNormRows#forward}. */
    static void forward(float[] x, int xo, float[] w, int wo, float[] b, int bo, double eps, int cols, int r0, int r1,
                        float[] out, float[] mean, float[] rstd) {
        within("x", x, xo + (long) r1 * cols);
        within("weight", w, w == null ? 0 : wo + (long) cols);
        within("bias", b, b == null ? 0 : bo + (long) cols);
        within("out", out, (long) r1 * cols);
        within("mean", mean, r1);
        within("rstd", rstd, r1);
        checkRange(r0, r1, cols, xo, wo, bo);
        forwardRows(x, xo, w, wo, b, bo, eps, cols, r0, r1, out, mean, rstd);
    }

    /** As {@link FloatNormRows#backward}: offsets of g, x, mean, rstd and weight. */
    static void backward(float[] g, float[] x, float[] mean, float[] rstd, float[] w, int[] offsets, int cols, int r0,
                         int r1, float[] gx, double[] gwPart, double[] gbPart) {
        within("grad", g, offsets[0] + (long) r1 * cols);
        within("x", x, offsets[1] + (long) r1 * cols);
        within("mean", mean, offsets[2] + (long) r1);
        within("rstd", rstd, offsets[3] + (long) r1);
        within("weight", w, w == null ? 0 : offsets[4] + (long) cols);
        within("grad input", gx, gx == null ? 0 : (long) r1 * cols);
        within("weight grad", gwPart, gwPart == null ? 0 : cols);
        within("bias grad", gbPart, gbPart == null ? 0 : cols);
        checkRange(r0, r1, cols, offsets);
        if (!backwardRows(g, x, mean, rstd, w, offsets[0], offsets[1], offsets[2], offsets[3], offsets[4], cols, r0, r1,
                gx, gwPart, gbPart)) {
            throw new OutOfMemoryError("layer_norm backward: no native scratch of " + 4L * cols + " floats");
        }
    }

    private static void checkRange(int r0, int r1, int cols, int... offsets) {
        if (r0 < 0 || r1 < r0 || cols < 0) {
            throw new IllegalStateException("layer_norm: rows [" + r0 + ", " + r1 + ") of " + cols + " columns");
        }
        for (int o : offsets) {
            if (o < 0) {
                throw new IllegalStateException("layer_norm: negative offset " + o);
            }
        }
    }

    /** That an array (null: nothing to check) holds at least {@code end} elements. */
    private static void within(String what, Object array, long end) {
        int length = array == null ? 0 : java.lang.reflect.Array.getLength(array);
        if (array != null && end > length) {
            throw new IllegalStateException("layer_norm: " + what + " needs " + end + " elements, its array has "
                    + length);
        }
    }

    private static native void forwardRows(float[] x, int xo, float[] w, int wo, float[] b, int bo, double eps,
                                           int cols, int r0, int r1, float[] out, float[] mean, float[] rstd);

    private static native boolean backwardRows(float[] g, float[] x, float[] mean, float[] rstd, float[] w, int go, int xo,
                                               int mo, int so, int wo, int cols, int r0, int r1, float[] gx,
                                               double[] gwPart, double[] gbPart);
}
