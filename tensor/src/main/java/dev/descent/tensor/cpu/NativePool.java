package dev.descent.tensor.cpu;

/**
 * FLOAT32 max pooling with 2 x 2 windows at stride 2 and no padding in C ({@code src/main/c/descent_pool.c}, part of
 * {@link NativeLibrary}), 16 windows at a time in AVX-512: the same values and positions as
 * {@link MaxPoolTwoByTwo#plane}, to the bit (ties, signed zeros and NaNs included), over a range of planes per call.
 * HotSpot runs the Java loop scalar, at about 8 ns a window on the cnn benchmark's first pooling.
 *
 * <p>The arrays are pinned for the call; every index range is checked here first. {@link #active()} is false when
 * the library did not load, when the processor lacks AVX-512, or when the system property
 * {@code descent.pool.java=true} or {@link #setEnabled} chose the Java loop.
 */
final class NativePool {
    private static final boolean SUPPORTED = NativeLibrary.hasAvx512();
    private static volatile boolean enabled = !Boolean.getBoolean("descent.pool.java");

    private NativePool() {
    }

    /** Whether the C kernel runs: the library loaded, the processor has AVX-512, and the Java loop was not chosen. */
    static boolean active() {
        return SUPPORTED && enabled;
    }

    /** Chooses the C kernel (where supported) or the Java loop; for tests that compare the two. */
    static void setEnabled(boolean on) {
        enabled = on;
    }

    /**
     * Planes [p0, p1) of {@code width}-wide inputs ({@code inPlane} floats apart from xo) into outH x outW outputs
     * and positions ({@code outPlane} apart from oo and io).
     */
    static void maxTwoByTwo(float[] x, int xo, int inPlane, float[] out, int oo, long[] idx, int io, int outPlane,
                            int width, int outH, int outW, int p0, int p1) {
        if (p0 >= p1) {
            return;
        }
        long inEnd = xo + (long) (p1 - 1) * inPlane + (long) 2 * outH * width;
        long outEnd = (long) (p1 - 1) * outPlane + (long) outH * outW;
        if (p0 < 0 || xo < 0 || oo < 0 || io < 0 || 2L * outW > width || (long) 2 * outH * width > inPlane
                || (long) outH * outW > outPlane || inEnd > x.length || oo + outEnd > out.length
                || io + outEnd > idx.length) {
            throw new IllegalStateException("maxPool2d: planes [" + p0 + ", " + p1 + ") of " + width + "-wide inputs ("
                    + inPlane + " floats apart) into " + outH + " x " + outW + " outputs do not fit arrays of "
                    + x.length + " inputs, " + out.length + " outputs and " + idx.length + " positions");
        }
        maxTwoByTwoPlanes(x, xo, inPlane, out, oo, idx, io, outPlane, width, outH, outW, p0, p1);
    }

    private static native void maxTwoByTwoPlanes(float[] x, int xo, int inPlane, float[] out, int oo, long[] idx,
                                                 int io, int outPlane, int width, int outH, int outW, int p0, int p1);
}
