package dev.descent.tensor;

/**
 * A seeded pseudo-random generator that gives the same numbers on every machine and JVM: xoshiro256**
 * seeded through SplitMix64, with normals by the Box-Muller transform computed in {@link StrictMath}
 * (whose results are specified bit for bit, unlike {@link Math}'s intrinsics).
 *
 * <p>Every random tensor in Descent is drawn from an explicit {@code Rng}; there is no hidden global
 * generator. The whole state can be read and restored ({@link #state()}, {@link #restore(long[])}) so
 * that a resumed run draws exactly the numbers the uninterrupted run would have. Not thread-safe: give
 * each thread its own generator, e.g. with {@link #split()}.
 */
public final class Rng {
    private long s0;
    private long s1;
    private long s2;
    private long s3;

    /** A generator whose whole sequence is fixed by {@code seed}. */
    public Rng(long seed) {
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
    }

    private Rng(long[] state) {
        restore(state);
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The next 64 uniformly random bits. */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Uniform in [0, bound), without modulo bias (Lemire's multiply-and-reject method).
     *
     * @throws IllegalArgumentException if {@code bound <= 0}
     */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("Rng.nextLong: bound must be positive, got " + bound);
        }
        long threshold = Long.remainderUnsigned(-bound, bound);
        while (true) {
            long r = nextLong();
            long low = r * bound;
            if (Long.compareUnsigned(low, threshold) >= 0) {
                return unsignedMultiplyHigh(r, bound);
            }
        }
    }

    /** The high 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh arrived after Java 17). */
    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    /** A standard normal sample (Box-Muller; uses two uniforms and discards the second normal). */
    public double nextGaussian() {
        double[] pair = new double[2];
        nextGaussianPair(pair);
        return pair[0];
    }

    /** Fills {@code out[0]} and {@code out[1]} with two independent standard normals. */
    void nextGaussianPair(double[] out) {
        // 1 - u lies in (0, 1], so the logarithm is finite
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        double angle = 2.0 * StrictMath.PI * u2;
        out[0] = radius * StrictMath.cos(angle);
        out[1] = radius * StrictMath.sin(angle);
    }

    /**
     * A new generator whose sequence is independent of this one's continuation; advances this generator.
     * Use it to hand a generator to another thread or component deterministically.
     */
    public Rng split() {
        return new Rng(nextLong());
    }

    /** A copy of the whole state; {@link #restore(long[])} returns to it exactly. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3};
    }

    /** Sets the state to one read earlier by {@link #state()}. */
    public void restore(long[] state) {
        if (state.length != 4) {
            throw new IllegalArgumentException("Rng.restore: expected 4 state words, got " + state.length);
        }
        if ((state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("Rng.restore: the all-zero state is not a valid xoshiro256** state");
        }
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
    }

    /** An independent copy at the same position in the sequence. */
    public Rng copy() {
        return new Rng(state());
    }
}
