package dev.descent.tensor.cpu;

/**
 * Sums of FLOAT64 values in exactly the order of {@link Runs#sum(double[], int, int, int)} over a contiguous run,
 * fed one block at a time ({@link FloatSum}'s methods for the FLOAT64 rules): four double lanes over the whole
 * run, added as {@code (s0 + s1) + (s2 + s3)}, then the last {@code n mod 4} elements one by one. Every block
 * but the last must have a multiple of 4 elements (the rules feed blocks of {@link FusedKernels#BLOCK}). An
 * accumulator holds the four lanes, up to three pending tail values and their count.
 */
final class DoubleSum {
    private DoubleSum() {
    }

    /** Adds the block {@code x[from, from + len)} squared element by element. */
    static void squares(double[] acc, int slot, double[] x, int from, int len) {
        int a = slot * FloatSum.WIDTH;
        checkNoTail(acc, a);
        double s0 = acc[a], s1 = acc[a + 1], s2 = acc[a + 2], s3 = acc[a + 3];
        int end = from + len;
        int i = from;
        for (; i + 4 <= end; i += 4) {
            s0 += x[i] * x[i];
            s1 += x[i + 1] * x[i + 1];
            s2 += x[i + 2] * x[i + 2];
            s3 += x[i + 3] * x[i + 3];
        }
        acc[a] = s0;
        acc[a + 1] = s1;
        acc[a + 2] = s2;
        acc[a + 3] = s3;
        for (int k = 0; i < end; i++, k++) {
            acc[a + 4 + k] = x[i] * x[i];
        }
        acc[a + 7] = len % 4;
    }

    /** Adds the block {@code x[from, from + len)}. */
    static void values(double[] acc, int slot, double[] x, int from, int len) {
        int a = slot * FloatSum.WIDTH;
        checkNoTail(acc, a);
        double s0 = acc[a], s1 = acc[a + 1], s2 = acc[a + 2], s3 = acc[a + 3];
        int end = from + len;
        int i = from;
        for (; i + 4 <= end; i += 4) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
        }
        acc[a] = s0;
        acc[a + 1] = s1;
        acc[a + 2] = s2;
        acc[a + 3] = s3;
        for (int k = 0; i < end; i++, k++) {
            acc[a + 4 + k] = x[i];
        }
        acc[a + 7] = len % 4;
    }

    /** The sum of the blocks added since the accumulator was cleared. */
    static double total(double[] acc, int slot) {
        int a = slot * FloatSum.WIDTH;
        double s = (acc[a] + acc[a + 1]) + (acc[a + 2] + acc[a + 3]);
        for (int k = 0; k < acc[a + 7]; k++) {
            s += acc[a + 4 + k];
        }
        return s;
    }

    /** Clears the accumulator (for a new run). */
    static void clear(double[] acc, int slot) {
        java.util.Arrays.fill(acc, slot * FloatSum.WIDTH, (slot + 1) * FloatSum.WIDTH, 0.0);
    }

    private static void checkNoTail(double[] acc, int a) {
        if (acc[a + 7] != 0) {
            throw new IllegalStateException("DoubleSum: a block after one whose length was not a multiple of 4");
        }
    }
}
