package dev.descent.bench;

import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Threads;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * {@code Tensor.add}, {@code mul}, {@code exp} and in-place {@code add_} on contiguous FLOAT32 tensors of
 * 1M and 16M elements, against a plain Java loop over {@code float[]} doing the same work in the same run.
 *
 * <p>The comparison is like for like: the out-of-place loops allocate their output array on every call
 * ({@code new float[n]}, zeroed by the JVM) exactly as {@code Tensor} allocates its result, and return it
 * so that nothing is optimised away; the in-place loop writes into an array it owns, as {@code add_} does.
 * The plain loops are single-threaded; the Descent side runs with {@code threads} threads (its pool
 * splits tensors of 32K elements and more). {@link Report} converts the times into GB/s counting the bytes
 * each call must read and write (12 bytes per element for add/mul/add_, 8 for exp; the JVM's zeroing of
 * a new array is not counted), and prints descent / loop; the bar is 0.8.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ElementwiseBenchmark {
    @Param({"1048576", "16777216"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    private Tensor a;
    private Tensor b;
    private Tensor acc;
    private float[] x;
    private float[] y;
    private float[] accArray;

    @Setup(Level.Trial)
    public void setUp() {
        Threads.set(threads);
        Rng rng = new Rng(7);
        a = Tensor.rand(rng, size);
        b = Tensor.rand(rng, size);
        acc = Tensor.zeros(size);
        x = a.toFloatArray();
        y = b.toFloatArray();
        accArray = new float[size];
    }

    @Benchmark
    public Tensor add() {
        return a.add(b);
    }

    @Benchmark
    public float[] loopAdd() {
        float[] p = x;
        float[] q = y;
        float[] c = new float[p.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = p[i] + q[i];
        }
        return c;
    }

    @Benchmark
    public Tensor mul() {
        return a.mul(b);
    }

    @Benchmark
    public float[] loopMul() {
        float[] p = x;
        float[] q = y;
        float[] c = new float[p.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = p[i] * q[i];
        }
        return c;
    }

    @Benchmark
    public Tensor exp() {
        return a.exp();
    }

    @Benchmark
    public float[] loopExp() {
        float[] p = x;
        float[] c = new float[p.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) Math.exp(p[i]);
        }
        return c;
    }

    /** {@code acc += b}; acc grows by at most 1 per call, far from overflow in any run. */
    @Benchmark
    public Tensor addInPlace() {
        return acc.add_(b);
    }

    @Benchmark
    public float[] loopAddInPlace() {
        float[] c = accArray;
        float[] q = y;
        for (int i = 0; i < c.length; i++) {
            c[i] += q[i];
        }
        return c;
    }
}
