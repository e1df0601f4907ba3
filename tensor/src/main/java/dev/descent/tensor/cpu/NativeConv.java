package dev.descent.tensor.cpu;

/**
 * col2im of FLOAT32 convolutions in C ({@code src/main/c/descent_conv.c}, part of {@link NativeLibrary}): the same
 * additions in the same order as {@link ConvColumns#col2im}'s Java loop, so the same bits, vectorised by gcc
 * (HotSpot runs the Java add scalar: its two runs sit at different offsets). The arrays are pinned for the call;
 * the ranges are checked here first.
 *
 * <p>Inactive when the library is missing, or with the system property {@code descent.conv.java=true}.
 */
final class NativeConv {
    private static volatile boolean enabled = !Boolean.getBoolean("descent.conv.java");

    private NativeConv() {
    }

    /** Whether the C loop runs: the library loaded and the Java path was not chosen. */
    static boolean active() {
        return enabled && NativeLibrary.problem() == null;
    }

    /** Chooses the C loop (when available) or the Java one; for tests that compare the two. */
    static void setEnabled(boolean on) {
        enabled = on;
    }

    /**
     * Adds the column entries of (sample, channel) items [start, end) of samples n0.. of group grp, from
     * {@code cols} (rows of {@code ld}), into {@code dx}'s planes from {@code dxOff}.
     */
    static void col2im(ConvKernels.Geometry g, float[] cols, int ld, float[] dx, int dxOff, int n0, int grp, int start,
                       int end) {
        if (start >= end) {
            return;
        }
        long colsEnd = (long) g.kc * ld;
        int lastSample = (end - 1) / g.cg;
        long planesEnd = dxOff + ((long) (n0 + lastSample) * g.c + (long) grp * g.cg + g.cg) * g.h * g.w;
        if (start < 0 || n0 < 0 || dxOff < 0 || ld < (lastSample + 1) * g.p || colsEnd > cols.length
                || planesEnd > dx.length) {
            throw new IllegalStateException("conv2d input gradient: items [" + start + ", " + end + ") of samples from "
                    + n0 + " need " + colsEnd + " column entries (have " + cols.length + ") and input planes up to "
                    + planesEnd + " (have " + dx.length + ")");
        }
        int[] geometry = {g.c, g.h, g.w, g.kh, g.kw, g.oh, g.ow, g.strideH, g.strideW, g.padH, g.dilationH, g.cg, g.p};
        col2imItems(cols, ld, dx, dxOff, geometry, g.firstInside, g.endInside, g.firstColumn, n0, grp, start, end);
    }

    private static native void col2imItems(float[] cols, int ld, float[] dx, int dxOff, int[] geometry,
                                           int[] firstInside, int[] endInside, int[] firstColumn, int n0, int grp,
                                           int start, int end);
}
