package dev.descent.tensor.cpu;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * {@link Quantization#nearest} as a table lookup with the same result for every float. The binary search
 * compares x only with the map's values and with midpoints of them, so its result is constant between
 * consecutive values of that finite set of constants S (about 512 for an 8-bit map): the lookup finds x's
 * place in S (a table indexed by the top bits of x's order-preserving bit pattern gives the first constant of
 * x's bucket, and a fixed window of {@link #WINDOW} comparisons, written as arithmetic on the bit patterns so
 * that they compile to no branches, counts the constants below x) and reads the search's result for that
 * place, precomputed by running the search once on each constant and once inside each open interval between
 * two. Measured on random codes: about 6 ns per lookup against 31 ns per search, whose seven data-dependent
 * branches the branch predictor cannot learn. The two agree on all 2^32 floats for both 8-bit maps (checked
 * exhaustively once; the tests check every constant, its neighbours and random values).
 */
final class CodeLookup {
    /** Comparisons per lookup: the most constants one bucket may hold (the bucket size is chosen for it). */
    static final int WINDOW = 4;

    /** The lookups made last (a few maps, used in turn: an optimizer's signed and unsigned ones). */
    private static volatile CodeLookup[] cache = new CodeLookup[4];

    private final float[] map;
    private final int offset;
    private final int version;
    private final boolean signed;
    private final int shift;
    /** S's order keys as signed ints (a difference in long shows which is smaller), padded with +inf's. */
    private final int[] keys;
    private final char[] first;
    private final byte[] results;
    private final int nanCode;

    private CodeLookup(float[] map, int offset, int version, boolean signed) {
        this.map = map;
        this.offset = offset;
        this.version = version;
        this.signed = signed;
        float[] s = constants(map, offset, signed);
        int sh = 18;
        while (maxOccupancy(s, sh) > WINDOW) {
            sh--;
        }
        this.shift = sh;
        float[] padded = Arrays.copyOf(s, s.length + WINDOW);
        Arrays.fill(padded, s.length, padded.length, Float.POSITIVE_INFINITY);
        this.keys = new int[padded.length];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = order(padded[k]) ^ 0x80000000;
        }
        this.first = new char[1 << (32 - sh)];
        for (int b = 0, k = 0; b < first.length; b++) {
            while (k < s.length && (order(s[k]) >>> sh) < b) {
                k++;
            }
            first[b] = (char) k;
        }
        this.results = new byte[2 * s.length];
        for (int k = 0; k < s.length; k++) {
            float below = k == 0 ? Float.NEGATIVE_INFINITY : Math.nextUp(s[k - 1]);
            results[2 * k] = (byte) Quantization.nearest(map, offset, below, signed);
            results[2 * k + 1] = (byte) Quantization.nearest(map, offset, s[k], signed);
        }
        this.nanCode = Quantization.nearest(map, offset, Float.NaN, signed);
    }

    /** The lookup for the 256-value map at {@code map[offset...]} in its current {@code version}. */
    static CodeLookup of(float[] map, int offset, int version, boolean signed) {
        CodeLookup[] recent = cache;
        for (CodeLookup c : recent) {
            if (c != null && c.map == map && c.offset == offset && c.version == version && c.signed == signed) {
                return c;
            }
        }
        CodeLookup made = new CodeLookup(map, offset, version, signed);
        CodeLookup[] next = new CodeLookup[recent.length];
        next[0] = made;
        System.arraycopy(recent, 0, next, 1, recent.length - 1);
        cache = next;
        return made;
    }

    /** {@link Quantization#nearest}{@code (map, x, signed)}. */
    int nearest(float x) {
        if (x != x) {
            return nanCode;
        }
        int key = order(x + 0f); // -0 compares as +0
        int k = first[key >>> shift];
        long y = key ^ 0x80000000;
        int below = 0;
        for (int j = 0; j < WINDOW; j++) {
            below += (int) ((keys[k + j] - y) >>> 63); // 1 when the constant is below x: no branch
        }
        k += below;
        int equal = (int) ((((keys[k] ^ (int) y) & 0xffffffffL) - 1) >>> 63);
        return results[2 * k + equal] & 0xFF;
    }

    /** {@link Quantization#signedStateCode} of a signed map's lookup. */
    int signedStateCode(float s, float x) {
        int c = nearest(x);
        if (Float.floatToRawIntBits(map[offset + c]) < 0 != Float.floatToRawIntBits(s) < 0) {
            c = (c + (s > 0f ? 1 : -1)) & 0xFF;
        }
        return c;
    }

    /** The float's bits as an unsigned key in the floats' order (-0 before +0; callers pass +0). */
    private static int order(float x) {
        int b = Float.floatToRawIntBits(x);
        return (b ^ ((b >> 31) & 0x7fffffff)) ^ 0x80000000;
    }

    /** Every constant the search may compare x with, over its 128 paths: visited values and midpoints. */
    private static float[] constants(float[] map, int offset, boolean signed) {
        TreeSet<Float> s = new TreeSet<>();
        for (int path = 0; path < 128; path++) {
            int pivot = 127;
            float lower = signed ? -1f : 0f;
            float upper = 1f;
            float val = map[offset + pivot];
            for (int i = 64, step = 6; i > 0; i >>= 1, step--) {
                s.add(val + 0f);
                if ((path >> step & 1) == 1) {
                    lower = val;
                    pivot += i;
                } else {
                    upper = val;
                    pivot -= i;
                }
                val = map[offset + pivot];
            }
            s.add(val + 0f);
            s.add((upper + val) * 0.5f + 0f);
            s.add((lower + val) * 0.5f + 0f);
        }
        s.remove(Float.NaN);
        s.add(Float.NEGATIVE_INFINITY);
        s.add(Float.POSITIVE_INFINITY);
        float[] out = new float[s.size()];
        int k = 0;
        for (float f : s) {
            out[k++] = f;
        }
        return out;
    }

    private static int maxOccupancy(float[] s, int shift) {
        int max = 0;
        for (int k = 0, run = 0; k < s.length; k++) {
            run = k > 0 && order(s[k]) >>> shift == order(s[k - 1]) >>> shift ? run + 1 : 1;
            max = Math.max(max, run);
        }
        return max;
    }
}
