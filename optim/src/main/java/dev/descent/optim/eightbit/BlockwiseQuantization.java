package dev.descent.optim.eightbit;

import dev.descent.tensor.cpu.Quantization;

/**
 * Block-wise absmax quantization with a 256-value code (spec/optimizers.md §13.2): each block of
 * {@code blockSize} consecutive elements stores one float32 {@code absmax = max|x|} and, per element, the
 * index of the code value nearest to {@code x/absmax}. Codes are unsigned bytes held in {@code byte[]}
 * (read them with {@code & 0xFF}).
 *
 * <p>The nearest-code search is the bitsandbytes optimizer kernels' {@code quantize_2D}: a binary search from
 * index 127 with steps 64, 32, …, 1, then a choice between the last probed code and its neighbour on the
 * side of {@code x} by comparing {@code x} with their float32 midpoint; a value exactly on a midpoint keeps the
 * last probed code. NaN maps to code 0.
 */
public final class BlockwiseQuantization {
    /** The block size of bitsandbytes since v0.44.0 (§13.2). */
    public static final int DEFAULT_BLOCK_SIZE = 256;
    /** The block size of the paper and of bitsandbytes before v0.44.0 (§13.2). */
    public static final int PAPER_BLOCK_SIZE = 2048;

    private BlockwiseQuantization() {
    }

    /**
     * A quantized vector (§13.2).
     *
     * @param codes one unsigned 8-bit code per element
     * @param absmax one float32 scale per block of {@code blockSize} elements
     * @param blockSize the block size
     */
    public record Quantized(byte[] codes, float[] absmax, int blockSize) {
        /** The number of elements. */
        public int size() {
            return codes.length;
        }
    }

    /** The number of blocks for {@code n} elements: {@code ceil(n / blockSize)} (§13.2). */
    public static int blocks(int n, int blockSize) {
        return (int) (((long) n + blockSize - 1) / blockSize);
    }

    /**
     * Checks a block size: a power of two from 64 to 4096 (bitsandbytes' range; 256 and 2048 are the ones
     * §13.2 names).
     *
     * @throws IllegalArgumentException otherwise, naming the value
     */
    public static void checkBlockSize(String who, double blockSize) {
        if (!(blockSize >= 64 && blockSize <= 4096) || blockSize != Math.rint(blockSize)
                || Integer.bitCount((int) blockSize) != 1) {
            throw new IllegalArgumentException(who + ": invalid block_size " + blockSize
                    + " (expected a power of two from 64 to 4096, 256 by default)");
        }
    }

    /**
     * The index of the code nearest to {@code x} in the ascending 256-value {@code code}, as bitsandbytes'
     * {@code quantize_2D} (§13.2); {@code signed} selects the search's initial lower bound (−1, else 0).
     */
    public static int nearest(float[] code, float x, boolean signed) {
        return Quantization.nearest(code, 0, x, signed);
    }

    /**
     * The first-moment code of a state value {@code s} already scaled to {@code x = s/absmax}:
     * {@link #nearest} on the signed map, then the kernels' sign preservation (if the code's sign bit differs
     * from {@code s}'s, one step toward {@code s}'s sign, wrapping as an unsigned byte) (§13.2 step 6).
     */
    public static int signedStateCode(float[] code, float s, float x) {
        int c = nearest(code, x, true);
        if (Float.floatToRawIntBits(code[c]) < 0 != Float.floatToRawIntBits(s) < 0) {
            c = (c + (s > 0f ? 1 : -1)) & 0xFF;
        }
        return c;
    }

    /**
     * Quantizes {@code x} block by block: {@code absmax_b = max|x|} over the block, codes
     * {@code nearest(code, x/absmax_b)} (§13.2). A block of zeros has absmax 0 and codes of NaN (0).
     */
    public static Quantized quantize(float[] x, float[] code, boolean signed, int blockSize) {
        checkBlockSize("BlockwiseQuantization.quantize", blockSize);
        checkCode(code);
        int nb = blocks(x.length, blockSize);
        float[] absmax = new float[nb];
        byte[] codes = new byte[x.length];
        for (int b = 0; b < nb; b++) {
            int from = b * blockSize;
            int to = Math.min(x.length, from + blockSize);
            float m = -Float.MAX_VALUE;
            for (int i = from; i < to; i++) {
                m = fmaxf(m, Math.abs(x[i]));
            }
            absmax[b] = m;
            for (int i = from; i < to; i++) {
                codes[i] = (byte) nearest(code, x[i] / m, signed);
            }
        }
        return new Quantized(codes, absmax, blockSize);
    }

    /** The values {@code code[q_i] · absmax_b} of a quantized vector (§13.2 step 2). */
    public static float[] dequantize(Quantized q, float[] code) {
        checkCode(code);
        float[] out = new float[q.codes().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = code[q.codes()[i] & 0xFF] * q.absmax()[i / q.blockSize()];
        }
        return out;
    }

    /** C's {@code fmaxf}: the larger value, ignoring a NaN argument. */
    static float fmaxf(float a, float b) {
        return Quantization.fmaxf(a, b);
    }

    /** Eight codes per word, code {@code i} in bits {@code 8*(i%8)} of word {@code i/8}. */
    static long[] pack(byte[] codes) {
        long[] words = new long[(codes.length + 7) / 8];
        for (int i = 0; i < codes.length; i++) {
            words[i >>> 3] |= (codes[i] & 0xFFL) << ((i & 7) << 3);
        }
        return words;
    }

    /** The inverse of {@link #pack}. */
    static byte[] unpack(long[] words, int n) {
        byte[] codes = new byte[n];
        for (int i = 0; i < n; i++) {
            codes[i] = (byte) (words[i >>> 3] >>> ((i & 7) << 3));
        }
        return codes;
    }

    private static void checkCode(float[] code) {
        if (code.length != 256) {
            throw new IllegalArgumentException("BlockwiseQuantization: expected a 256-value code, got " + code.length);
        }
    }
}
