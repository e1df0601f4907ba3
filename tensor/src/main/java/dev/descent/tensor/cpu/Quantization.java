package dev.descent.tensor.cpu;

/**
 * The code search of bitsandbytes' blockwise quantization (spec/optimizers.md §13.2), over a 256-value map that
 * starts at element {@code off} of an array: the one copy, used by {@link QuantizedUpdates} through
 * {@link CodeLookup} (which runs the search once per interval of its result and looks it up after) and by the
 * unfused path, {@code dev.descent.optim.eightbit.BlockwiseQuantization}.
 */
public final class Quantization {
    private Quantization() {
    }

    /**
     * The index of the code nearest to {@code x} in the ascending 256-value map at {@code code[off..off+255]}, as
     * bitsandbytes' {@code quantize_2D}; {@code signed} selects the search's initial lower bound (−1, else 0).
     */
    public static int nearest(float[] code, int off, float x, boolean signed) {
        int pivot = 127;
        int upperPivot = 255;
        int lowerPivot = 0;
        float lower = signed ? -1f : 0f;
        float upper = 1f;
        float val = code[off + pivot];
        for (int i = 64; i > 0; i >>= 1) {
            if (x > val) {
                lowerPivot = pivot;
                lower = val;
                pivot += i;
            } else {
                upperPivot = pivot;
                upper = val;
                pivot -= i;
            }
            val = code[off + pivot];
        }
        if (x > val) {
            float mid = (upper + val) * 0.5f;
            return x > mid ? upperPivot : pivot;
        }
        float mid = (lower + val) * 0.5f;
        return x < mid ? lowerPivot : pivot;
    }

    /** C's {@code fmaxf}: the larger value, ignoring a NaN argument. */
    public static float fmaxf(float a, float b) {
        if (Float.isNaN(a)) {
            return b;
        }
        if (Float.isNaN(b)) {
            return a;
        }
        return Math.max(a, b);
    }
}
