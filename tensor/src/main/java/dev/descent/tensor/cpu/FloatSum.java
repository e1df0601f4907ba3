package dev.descent.tensor.cpu;

/**
 * Sums of FLOAT32 values in exactly the order of {@link Runs#sum(float[], int, int, int)} over a contiguous run,
 * fed one block at a time, so that a fused rule gets the bits of {@code t.square().sum()} (or of a row's
 * sum) without the temporary tensor: blocks of {@value FusedKernels#BLOCK} elements (the run's own blocks, the
 * last one shorter) summed in eight float lanes, the block sums added in double. An accumulator is
 * {@link #WIDTH} elements of a {@code double[]} ({@link Scratch#sums}), at {@code slot * WIDTH}.
 * {@link DoubleSum} is the FLOAT64 counterpart, with the same methods.
 */
final class FloatSum {
    /** The elements of one accumulator (DoubleSum needs them all). */
    static final int WIDTH = 8;

    private FloatSum() {
    }

    /** Adds the block {@code x[from, from + len)} (one of the run's blocks, in order) squared element by element. */
    static void squares(double[] acc, int slot, float[] x, int from, int len) {
        int end = from + len;
        int i = from;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        for (; i + 8 <= end; i += 8) {
            s0 += x[i] * x[i];
            s1 += x[i + 1] * x[i + 1];
            s2 += x[i + 2] * x[i + 2];
            s3 += x[i + 3] * x[i + 3];
            s4 += x[i + 4] * x[i + 4];
            s5 += x[i + 5] * x[i + 5];
            s6 += x[i + 6] * x[i + 6];
            s7 += x[i + 7] * x[i + 7];
        }
        double block = ((double) s0 + s1) + ((double) s2 + s3) + ((double) s4 + s5) + ((double) s6 + s7);
        for (; i < end; i++) {
            block += x[i] * x[i];
        }
        acc[slot * WIDTH] += block;
    }

    /** Adds the block {@code x[from, from + len)} (one of the run's blocks, in order). */
    static void values(double[] acc, int slot, float[] x, int from, int len) {
        acc[slot * WIDTH] += Runs.sum(x, from, 1, len);
    }

    /** The sum of the blocks added since the accumulator was cleared. */
    static double total(double[] acc, int slot) {
        return acc[slot * WIDTH];
    }

    /** Clears the accumulator (for a new run). */
    static void clear(double[] acc, int slot) {
        java.util.Arrays.fill(acc, slot * WIDTH, slot * WIDTH + WIDTH, 0.0);
    }
}
