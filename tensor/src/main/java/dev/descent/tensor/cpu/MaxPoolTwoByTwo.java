package dev.descent.tensor.cpu;

/**
 * Max pooling of FLOAT32 planes with 2 x 2 windows at stride 2 and no padding, written without
 * data-dependent branches: the general loop's {@code v > max} mispredicts about once per window on
 * random data, which made it cost about 20 ns per window. The maximum comes from {@code Math.max} (which
 * lets NaN through) and the position from selects over the four candidates, last to first so that the
 * first maximum wins, as in the general loop; a window holding NaN takes that loop's rule (the last NaN).
 * {@link NativePool} is its C twin (same bits), used for FLOAT32 when the native library has AVX-512.
 */
final class MaxPoolTwoByTwo {
    private MaxPoolTwoByTwo() {
    }

    static void plane(int width, int outH, int outW, float[] x, int xo, float[] out, int oo, long[] idx, int io) {
        for (int oh = 0; oh < outH; oh++) {
            int top = 2 * oh * width;
            int o = oh * outW;
            for (int ow = 0; ow < outW; ow++) {
                int p0 = top + 2 * ow;
                int p1 = p0 + 1;
                int p2 = p0 + width;
                int p3 = p2 + 1;
                float a = x[xo + p0];
                float b = x[xo + p1];
                float c = x[xo + p2];
                float d = x[xo + p3];
                float max = Math.max(Math.max(a, b), Math.max(c, d));
                int best;
                if (max != max) {
                    best = d != d ? p3 : c != c ? p2 : b != b ? p1 : p0;
                } else {
                    best = d == max ? p3 : p0;
                    best = c == max ? p2 : best;
                    best = b == max ? p1 : best;
                    best = a == max ? p0 : best;
                }
                out[oo + o + ow] = x[xo + best]; // the element itself, so that -0.0 stays -0.0
                idx[io + o + ow] = best;
            }
        }
    }
}
