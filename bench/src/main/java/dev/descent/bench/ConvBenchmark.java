package dev.descent.bench;

import dev.descent.tensor.ConvSpec;
import dev.descent.tensor.Convolution;
import dev.descent.tensor.PoolSpec;
import dev.descent.tensor.Pooling;
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
 * The convolution and pooling kernels of the {@code cnn} workload of {@code ../shared/bench} (batch 64):
 * conv1 1->32 3x3 on 1x28x28, pool1 2x2 on 32x26x26, conv2 32->64 3x3 on 32x13x13, pool2 2x2 on 64x11x11;
 * each convolution forward, input gradient and weight gradient (no bias: Descent adds it by
 * broadcasting), each max pooling forward (values and indices) and backward. {@code bench/torch_conv.py}
 * times the same kernels in PyTorch with the same shapes and thread count, and {@link Report} puts both
 * side by side. conv1's input gradient is not needed to train (its input is data) but is measured anyway.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConvBenchmark {
    static final int BATCH = 64;
    private static final ConvSpec CONV = ConvSpec.of(1, 0, 1, 1);
    private static final PoolSpec POOL = PoolSpec.of(2, 2, 0);

    @Param({"1", "2"})
    public int threads;

    private Tensor x1;
    private Tensor w1;
    private Tensor g1;
    private Tensor p1In;
    private Tensor p1Grad;
    private Tensor p1Idx;
    private Tensor x2;
    private Tensor w2;
    private Tensor g2;
    private Tensor p2In;
    private Tensor p2Grad;
    private Tensor p2Idx;

    @Setup(Level.Trial)
    public void setUp() {
        Threads.set(threads);
        Rng rng = new Rng(3);
        x1 = Tensor.randn(rng, BATCH, 1, 28, 28);
        w1 = Tensor.randn(rng, 32, 1, 3, 3);
        g1 = Tensor.randn(rng, BATCH, 32, 26, 26);
        p1In = Tensor.randn(rng, BATCH, 32, 26, 26);
        p1Grad = Tensor.randn(rng, BATCH, 32, 13, 13);
        p1Idx = Pooling.maxPool2d(p1In, POOL).indices();
        x2 = Tensor.randn(rng, BATCH, 32, 13, 13);
        w2 = Tensor.randn(rng, 64, 32, 3, 3);
        g2 = Tensor.randn(rng, BATCH, 64, 11, 11);
        p2In = Tensor.randn(rng, BATCH, 64, 11, 11);
        p2Grad = Tensor.randn(rng, BATCH, 64, 5, 5);
        p2Idx = Pooling.maxPool2d(p2In, POOL).indices();
    }

    @Benchmark
    public Tensor conv1Forward() {
        return Convolution.conv2d(x1, w1, CONV);
    }

    @Benchmark
    public Tensor conv1InputGrad() {
        return Convolution.conv2dInputGrad(g1, w1, x1.shape(), CONV);
    }

    @Benchmark
    public Tensor conv1WeightGrad() {
        return Convolution.conv2dWeightGrad(x1, g1, w1.shape(), CONV);
    }

    @Benchmark
    public Tensor.ValuesAndIndices pool1Forward() {
        return Pooling.maxPool2d(p1In, POOL);
    }

    @Benchmark
    public Tensor pool1Backward() {
        return Pooling.maxPool2dBackward(p1Grad, p1Idx, p1In.shape(), POOL);
    }

    @Benchmark
    public Tensor conv2Forward() {
        return Convolution.conv2d(x2, w2, CONV);
    }

    @Benchmark
    public Tensor conv2InputGrad() {
        return Convolution.conv2dInputGrad(g2, w2, x2.shape(), CONV);
    }

    @Benchmark
    public Tensor conv2WeightGrad() {
        return Convolution.conv2dWeightGrad(x2, g2, w2.shape(), CONV);
    }

    @Benchmark
    public Tensor.ValuesAndIndices pool2Forward() {
        return Pooling.maxPool2d(p2In, POOL);
    }

    @Benchmark
    public Tensor pool2Backward() {
        return Pooling.maxPool2dBackward(p2Grad, p2Idx, p2In.shape(), POOL);
    }
}
