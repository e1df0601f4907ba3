package dev.descent.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * {@link FloatExp} against {@code Math.exp} in double: the error, in units of the last place of the correctly
 * rounded float result, over a dense sweep of the floats (every 251st bit pattern), every float whose result
 * is subnormal, and every float near the overflow and underflow thresholds; the special values exactly.
 */
class FloatExpTest {
    /** The bound asserted; the sweep measures about 0.96 (Cephes' polynomial plus the final rounding). */
    private static final double MAX_ULPS = 1.0;

    /** ln(Float.MAX_VALUE): above it the result overflows; ln(2^-126) and ln(2^-150): subnormal, then 0. */
    private static final float OVERFLOW = 88.72284f;
    private static final float SUBNORMAL = -87.33655f;
    private static final float UNDERFLOW = -103.97208f;

    /** The largest error met so far, and where. */
    private double worst;
    private float worstAt;

    /** Checks one input: specials exactly, the rest within MAX_ULPS of the double-precision exponential. */
    private void check(float x) {
        float f = FloatExp.exp(x);
        if (Float.isNaN(x)) {
            assertTrue(Float.isNaN(f), "exp(NaN) must be NaN, got " + f);
            return;
        }
        double exact = Math.exp(x);
        float rounded = (float) exact;
        if (Float.isInfinite(rounded) || Float.isInfinite(f)) {
            assertEquals(rounded, f, "exp(" + x + ") overflows to +inf exactly when (float) Math.exp does");
            return;
        }
        double ulps = Math.abs(f - exact) / Math.ulp(rounded);
        if (ulps > worst) {
            worst = ulps;
            worstAt = x;
        }
        if (!(ulps <= MAX_ULPS)) {
            fail("exp(" + x + ") = " + f + ", expected " + exact + ": " + ulps + " ulp");
        }
    }

    /** Every float from a to b (a <= b), in order of their values. */
    private void sweep(float a, float b) {
        for (float x = a; x <= b; x = Math.nextUp(x)) {
            check(x);
        }
    }

    @Test
    void specialValuesAreExact() {
        assertEquals(0f, FloatExp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(FloatExp.exp(Float.NEGATIVE_INFINITY)),
                "exp(-inf) is +0");
        assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(Float.MAX_VALUE));
        assertEquals(Float.POSITIVE_INFINITY, FloatExp.exp(89f));
        assertEquals(0f, FloatExp.exp(-Float.MAX_VALUE));
        assertEquals(0f, FloatExp.exp(-104f));
        assertEquals(1f, FloatExp.exp(0f));
        assertEquals(1f, FloatExp.exp(-0f));
        assertEquals(1f, FloatExp.exp(Float.MIN_VALUE));
        assertEquals(1f, FloatExp.exp(-Float.MIN_VALUE));
        assertEquals(Float.MIN_VALUE, FloatExp.exp(-103.9f), "the smallest subnormal");
        for (int bits : new int[] {0x7fc00000, 0x7f800001, 0xffc00000, 0x7fffffff, 0xff800001}) {
            assertTrue(Float.isNaN(FloatExp.exp(Float.intBitsToFloat(bits))), "NaN payload " + Integer.toHexString(bits));
        }
        for (float x : new float[] {Float.MIN_NORMAL, -Float.MIN_NORMAL, 1f, -1f, 0.5f, 10f, -10f, 88f, -87f}) {
            check(x);
        }
    }

    @Test
    void denseSweepOfAllFloatsIsWithinOneUlp() {
        for (long b = 0; b <= 0xFFFFFFFFL; b += 251) {
            check(Float.intBitsToFloat((int) b));
        }
        // the sweep must have met inexact results, or it would show nothing about the bound
        assertTrue(worst > 0.5, "worst error " + worst + " ulp at " + worstAt);
    }

    @Test
    void everySubnormalResultAndBothThresholdsAreWithinOneUlp() {
        sweep(-104.5f, SUBNORMAL + 0.01f); // results below 2^-126, including those that round to 0 or 2^-149
        sweep(OVERFLOW - 0.01f, OVERFLOW + 0.01f); // the largest finite results and the first infinite ones
        assertTrue(FloatExp.exp(UNDERFLOW - 0.01f) == 0f && FloatExp.exp(UNDERFLOW + 0.01f) > 0f,
                "underflows to 0 at ln(2^-150)");
        assertTrue(Float.isInfinite(FloatExp.exp(Math.nextUp(OVERFLOW))) && FloatExp.exp(88.72f) < Float.MAX_VALUE,
                "overflows at ln(Float.MAX_VALUE)");
    }

    @Test
    void theArrayLoopsGiveWhatTheScalarFunctionGivesForEveryElement() {
        // long enough for the vector loops, with every kind of value, at every position modulo the vector width
        int n = 4099;
        float[] buf = new float[n];
        float[] special = {0f, -0f, 1f, -2.5f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, 200f,
            -120f, -100f, -87.5f, 88.7f, Float.MIN_VALUE, -Float.MAX_VALUE};
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < n; i++) {
            buf[i] = i % 3 == 0 ? special[(i / 3) % special.length] : (float) (random.nextGaussian() * 30);
        }
        float[] x = buf.clone();
        FloatExp.expInPlace(buf, new float[n], n);
        for (int i = 0; i < n; i++) {
            float expected = FloatExp.exp(x[i]);
            assertTrue(Float.floatToRawIntBits(expected) == Float.floatToRawIntBits(buf[i])
                    || Float.isNaN(expected) && Float.isNaN(buf[i]), "element " + i + ": exp(" + x[i] + ")");
            check(x[i]);
        }
    }
}
