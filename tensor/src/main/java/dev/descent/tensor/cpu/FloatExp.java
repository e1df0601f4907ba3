package dev.descent.tensor.cpu;

/**
 * A fast FLOAT32 exponential for the softmax kernels: within 1 ulp of e^x (checked over every float: at most
 * 0.99 ulp, 0.75 for subnormal results; FloatExpTest asserts it on a dense sweep), where
 * {@code (float) Math.exp(x)} through double costs several times more per element.
 *
 * <p>Cephes' expf: Cody-Waite reduction {@code x = n ln2 + r} with n the nearest integer to
 * {@code x log2(e)} (the 1.5 * 2^23 magic addition rounds it) and ln2 split in two so that
 * {@code n ln2_hi} is exact, a degree-6 polynomial for {@code e^r} on |r| <= ln2/2, and 2^n applied as two
 * power-of-two factors so that subnormal results are rounded once and tiny ones underflow to 0 (the second
 * factor is 0 when n < -151). The input is
 * first clamped to [-110, 100]: -inf gives exactly 0, +inf and every x above ln(Float.MAX_VALUE) give +inf,
 * NaN stays NaN. No branch.
 */
final class FloatExp {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    private static final float LN2_HI = 0.693359375f; // few bits, so that n * LN2_HI is exact
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float LO = -110f; // exp(-110) < 2^-150 / 2: rounds to 0
    private static final float HI = 100f; // exp(100) > Float.MAX_VALUE: overflows to +inf
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    private FloatExp() {
    }

    /** e^x for one float. */
    static float exp(float x) {
        // comparisons rather than Math.min/max, which cost several instructions each in scalar code; a NaN
        // fails both tests and passes through
        float c = x < LO ? LO : x;
        c = c > HI ? HI : c;
        float t = c * LOG2E + MAGIC;
        float n = t - MAGIC;
        float r = c - n * LN2_HI - n * LN2_LO;
        float p = ((((P0 * r + P1) * r + P2) * r + P3) * r + P4) * r + P5;
        float e = p * (r * r) + r + 1;
        int k = Float.floatToRawIntBits(t) - 0x4B400000; // n as an int, in [-159, 144]
        return e * Float.intBitsToFloat(firstFactor(k)) * Float.intBitsToFloat(secondFactor(k));
    }

    /** The bits of 2^(k >> 1), normal for every k in [-159, 144]. */
    private static int firstFactor(int k) {
        return ((k >> 1) + 127) << 23;
    }

    /**
     * The bits of 2^(k - (k >> 1)), or of 0 when k < -151: the result, below 2^-151, rounds to 0 anyway, and
     * multiplying by 0 rather than underflowing spares the processor's slow path for subnormal results on
     * each -inf of a masked row (measured: masked rows four times slower without it).
     */
    private static int secondFactor(int k) {
        return ((k - (k >> 1) + 127) << 23) & ~((k + 151) >> 31);
    }

    /**
     * {@code buf[i] = e^buf[i]} for i in [0, n), each element as {@link #exp} computes it, with t[0, n) as
     * scratch. Two passes (clamp and polynomial, then the power of two) because the loop of {@link #exp} is too
     * large for HotSpot to unroll and vectorise while each half alone is not; both arrays start at 0, so that
     * the vector loops need no alignment of one against another. Callers gather short rows into buf first: a
     * loop of a few dozen elements barely reaches the vector code.
     */
    static void expInPlace(float[] buf, float[] t, int n) {
        for (int i = 0; i < n; i++) {
            float c = Math.min(Math.max(buf[i], LO), HI);
            float ti = c * LOG2E + MAGIC;
            float m = ti - MAGIC;
            float r = c - m * LN2_HI - m * LN2_LO;
            float p = ((((P0 * r + P1) * r + P2) * r + P3) * r + P4) * r + P5;
            buf[i] = p * (r * r) + r + 1;
            t[i] = ti;
        }
        for (int i = 0; i < n; i++) {
            int k = Float.floatToRawIntBits(t[i]) - 0x4B400000;
            buf[i] = buf[i] * Float.intBitsToFloat(firstFactor(k)) * Float.intBitsToFloat(secondFactor(k));
        }
    }
}
