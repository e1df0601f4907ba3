package dev.descent.bench;

import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Threads;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;

/**
 * {@code Tensor.matmul} on FLOAT32 n x n operands against the raw library it calls: {@code cblas_sgemm}
 * (row-major, no transpose, alpha 1, beta 0) on off-heap {@link FloatPointer} operands that are allocated
 * once. The difference is everything Descent adds around the call: argument checks, allocating the
 * (zeroed) output array, and copying the operands in and the result out of its off-heap scratch.
 * {@code Threads.set} sets both OpenBLAS's thread count and Descent's pool, so both sides run with the
 * same number of threads. {@link Report} turns the times into GFLOP/s (2 n^3 / t) and the ratio
 * descent / cblas; the bar is 0.90 for n >= 256 and 0.75 at n = 64.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GemmBenchmark {
    @Param({"64", "128", "256", "512", "1024", "2048"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    private Tensor a;
    private Tensor b;
    private FloatPointer pa;
    private FloatPointer pb;
    private FloatPointer pc;

    @Setup(Level.Trial)
    public void setUp() {
        Loader.load(openblas_nolapack.class);
        Threads.set(threads);
        Rng rng = new Rng(42);
        a = Tensor.rand(rng, n, n);
        b = Tensor.rand(rng, n, n);
        long size = (long) n * n;
        pa = new FloatPointer(size).put(a.toFloatArray());
        pb = new FloatPointer(size).put(b.toFloatArray());
        pc = new FloatPointer(size);
        checkSameResult();
    }

    /** Both sides compute the same product (to float rounding), so the comparison is like for like. */
    private void checkSameResult() {
        float[] mine = a.matmul(b).toFloatArray();
        cblas();
        float[] theirs = new float[mine.length];
        pc.position(0).get(theirs);
        for (int i = 0; i < mine.length; i++) {
            if (Math.abs(mine[i] - theirs[i]) > 1e-3f * Math.max(1f, Math.abs(theirs[i]))) {
                throw new IllegalStateException("GemmBenchmark: matmul and cblas_sgemm differ at " + i + ": "
                        + mine[i] + " vs " + theirs[i]);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pa.close();
        pb.close();
        pc.close();
    }

    @Benchmark
    public Tensor descent() {
        return a.matmul(b);
    }

    @Benchmark
    public FloatPointer cblas() {
        openblas_nolapack.cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n,
                1f, pa, n, pb, n, 0f, pc, n);
        return pc;
    }
}
