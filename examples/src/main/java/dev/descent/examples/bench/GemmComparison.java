package dev.descent.examples.bench;

import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Threads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.bytedeco.javacpp.FloatPointer;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

/**
 * GFLOP/s of {@code Tensor.matmul} on FLOAT32 n x n operands against {@code cblas_sgemm} called directly on
 * off-heap operands, in the same process. The two are interleaved, measurement by measurement, so that
 * drift (turbo, other processes, a GC) lands on both; each figure is the median of several measurements.
 */
public final class GemmComparison {
    /** One line of the comparison; {@code ratio} is descent / cblas. */
    public record Row(int n, int threads, double descentGflops, double cblasGflops, double ratio) {
        static Row of(int n, int threads, double descentGflops, double cblasGflops) {
            return new Row(n, threads, descentGflops, cblasGflops, descentGflops / cblasGflops);
        }
    }

    /** The seed of the operands unless another is given. */
    public static final long DEFAULT_SEED = 20240501L;
    private static final int MEASUREMENTS = 5;
    private static final double WARMUP_SECONDS = 0.3;
    private static final int WARMUP_CALLS = 3;
    private static final double MEASUREMENT_SECONDS = 0.5;

    private GemmComparison() {
    }

    /**
     * Measures every (size, threads) pair, sizes outermost, on uniform operands drawn from {@code seed}, handing
     * each row to {@code onRow} as it is done.
     */
    public static List<Row> run(int[] sizes, int[] threads, long seed, Consumer<Row> onRow) {
        List<Row> rows = new ArrayList<>();
        int before = Threads.get();
        try {
            for (int n : sizes) {
                for (int t : threads) {
                    Threads.set(t);
                    Row row = measure(n, t, seed);
                    rows.add(row);
                    onRow.accept(row);
                }
            }
        } finally {
            Threads.set(before);
        }
        return rows;
    }

    /** One row at the current thread setting ({@code threads} is only recorded). */
    static Row measure(int n, int threads, long seed) {
        Rng rng = new Rng(seed);
        Tensor a = Tensor.rand(rng, n, n);
        Tensor b = Tensor.rand(rng, n, n);
        // copied into native memory once, outside anything timed
        try (FloatPointer pa = new FloatPointer(a.toFloatArray());
             FloatPointer pb = new FloatPointer(b.toFloatArray());
             FloatPointer pc = new FloatPointer((long) n * n)) {
            Tensor[] sink = new Tensor[1];
            Runnable descent = () -> sink[0] = a.matmul(b);
            Runnable cblas = () -> cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n,
                    1f, pa, n, pb, n, 0f, pc, n);
            int descentReps = repsFor(warmUp(descent));
            int cblasReps = repsFor(warmUp(cblas));
            checkAgree(n, sink[0], pc);
            double[] descentTimes = new double[MEASUREMENTS];
            double[] cblasTimes = new double[MEASUREMENTS];
            for (int i = 0; i < MEASUREMENTS; i++) {
                // alternate which goes first, so neither always runs on the warmer (or cooler) machine
                if (i % 2 == 0) {
                    descentTimes[i] = secondsPerCall(descent, descentReps);
                    cblasTimes[i] = secondsPerCall(cblas, cblasReps);
                } else {
                    cblasTimes[i] = secondsPerCall(cblas, cblasReps);
                    descentTimes[i] = secondsPerCall(descent, descentReps);
                }
            }
            double flops = 2.0 * n * n * n;
            return Row.of(n, threads, flops / median(descentTimes) / 1e9, flops / median(cblasTimes) / 1e9);
        }
    }

    /** Runs {@code call} for at least WARMUP_SECONDS and WARMUP_CALLS; returns the last call's seconds. */
    private static double warmUp(Runnable call) {
        long start = System.nanoTime();
        double last;
        int calls = 0;
        do {
            long t0 = System.nanoTime();
            call.run();
            last = (System.nanoTime() - t0) / 1e9;
            calls++;
        } while (calls < WARMUP_CALLS || (System.nanoTime() - start) / 1e9 < WARMUP_SECONDS);
        return last;
    }

    private static int repsFor(double secondsPerCall) {
        return (int) Math.max(1, Math.min(1_000_000, Math.ceil(MEASUREMENT_SECONDS / secondsPerCall)));
    }

    private static double secondsPerCall(Runnable call, int reps) {
        long t0 = System.nanoTime();
        for (int r = 0; r < reps; r++) {
            call.run();
        }
        return (System.nanoTime() - t0) / 1e9 / reps;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** A comparison of speeds means nothing if the two compute different products. */
    private static void checkAgree(int n, Tensor product, FloatPointer pc) {
        float[] ours = product.toFloatArray();
        float[] theirs = new float[ours.length];
        pc.get(theirs);
        for (int i = 0; i < ours.length; i++) {
            // entries are sums of n products of numbers in [0, 1)
            if (Math.abs(ours[i] - theirs[i]) > 1e-4 * n) {
                throw new IllegalStateException("bench-gemm: Tensor.matmul and cblas_sgemm disagree at n = " + n
                        + ", element " + i + ": " + ours[i] + " vs " + theirs[i]);
            }
        }
    }
}
