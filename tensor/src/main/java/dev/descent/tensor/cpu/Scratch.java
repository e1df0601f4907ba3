package dev.descent.tensor.cpu;

/**
 * Per-thread working arrays of the fused optimizer rules (a block of computed values, the column sums and
 * factors of Adafactor, the accumulators of a sum) and of convolution's col2im (a block), kept between calls
 * and grown when a call needs more, so that a step allocates nothing once warm. Each kind has its own array,
 * so that a rule may hold several at once; a rule never keeps one across calls (a later call on the thread
 * overwrites it).
 */
final class Scratch {
    /** The kinds of FLOAT32 and FLOAT64 arrays a rule may hold at once. */
    static final int BLOCK = 0;
    static final int ROW_FACTORS = 1;
    static final int COLUMN_FACTORS = 2;
    static final int SECOND_BLOCK = 3;
    static final int RECIPROCALS = 4;
    private static final int KINDS = 5;

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    private final float[][] floats = new float[KINDS][0];
    private final double[][] doubles = new double[KINDS][0];
    private double[] sums = new double[0];
    private double[] columnSums = new double[0];

    private Scratch() {
    }

    /** This thread's FLOAT32 array of {@code kind}, with at least {@code n} elements (contents undefined). */
    static float[] floats(int kind, int n) {
        Scratch s = LOCAL.get();
        if (s.floats[kind].length < n) {
            s.floats[kind] = new float[n];
        }
        return s.floats[kind];
    }

    /** This thread's FLOAT64 array of {@code kind}, with at least {@code n} elements (contents undefined). */
    static double[] doubles(int kind, int n) {
        Scratch s = LOCAL.get();
        if (s.doubles[kind].length < n) {
            s.doubles[kind] = new double[n];
        }
        return s.doubles[kind];
    }

    /** This thread's accumulators for {@code count} sums ({@link FloatSum}, {@link DoubleSum}), cleared. */
    static double[] sums(int count) {
        Scratch s = LOCAL.get();
        int n = count * FloatSum.WIDTH;
        if (s.sums.length < n) {
            s.sums = new double[n];
        }
        java.util.Arrays.fill(s.sums, 0, n, 0.0);
        return s.sums;
    }

    /** This thread's double accumulators of column sums, {@code n} of them, cleared. */
    static double[] columnSums(int n) {
        Scratch s = LOCAL.get();
        if (s.columnSums.length < n) {
            s.columnSums = new double[n];
        }
        java.util.Arrays.fill(s.columnSums, 0, n, 0.0);
        return s.columnSums;
    }
}
