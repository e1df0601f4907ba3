package dev.descent.tensor.cpu;

/**
 * The code search of bitsandbytes' blockwise quantization, for {@link QuantizedUpdates}: the same functions as
 * {@code dev.descent.optim.eightbit.BlockwiseQuantization} (which documents them), over a 256-value map that
 * starts at element {@code off} of an array. {@link CodeLookup} runs the search once per interval of its
 * result and looks it up after; its {@code signedStateCode} adds the sign preservation.
 */
final class Quantization {
    private Quantization() {
    }

    /** The index of the code nearest to {@code x}, as bitsandbytes' {@code quantize_2D}. */
    static int nearest(float[] code, int off, float x, boolean signed) {
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
    static float fmaxf(float a, float b) {
        if (Float.isNaN(a)) {
            return b;
        }
        if (Float.isNaN(b)) {
            return a;
        }
        return Math.max(a, b);
    }
}
