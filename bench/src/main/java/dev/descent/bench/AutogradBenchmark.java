package dev.descent.bench;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Threads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code mlp_grad} and {@code mlp_hvp} of {@code ../shared/bench}: the gradient of a 784-512-512-10 ReLU
 * MLP's cross-entropy on a batch of 128 with respect to its six parameters, and one Hessian-vector product
 * by double backprop (gradient with a graph, then the gradient of its inner product with a fixed random
 * vector). The MLP is written with autograd operations directly, each layer one {@code linear} ({@code x W^T + b}
 * as one primitive, as torch.nn.Linear calls {@code addmm}; until 2026-11-21 it was {@code matmul} then {@code add}),
 * initialised as torch.nn.Linear. {@code bench/torch_autograd.py} times the same two calls in PyTorch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AutogradBenchmark {
    private static final int BATCH = 128;
    private static final int[] WIDTHS = {784, 512, 512, 10};

    @Param({"1", "2"})
    public int threads;

    private final List<Variable> params = new ArrayList<>();
    private final List<Variable> directions = new ArrayList<>();
    private Variable x;
    private Variable targets;

    @Setup(Level.Trial)
    public void setUp() {
        Threads.set(threads);
        Rng rng = new Rng(5);
        for (int l = 0; l + 1 < WIDTHS.length; l++) {
            double bound = 1 / Math.sqrt(WIDTHS[l]);
            params.add(Variable.parameter(Tensor.rand(rng, WIDTHS[l + 1], WIDTHS[l]).mul(2 * bound).sub(bound)));
            params.add(Variable.parameter(Tensor.rand(rng, WIDTHS[l + 1]).mul(2 * bound).sub(bound)));
        }
        for (Variable p : params) {
            directions.add(Variable.constant(Tensor.randn(rng, p.shape().toArray())));
        }
        x = Variable.constant(Tensor.randn(rng, BATCH, WIDTHS[0]));
        targets = Variable.constant(Tensor.randint(rng, 0, 10, BATCH).oneHot(10).cast(x.dtype()));
    }

    private Variable loss() {
        Variable h = x;
        for (int l = 0; l < params.size(); l += 2) {
            h = h.linear(params.get(l), params.get(l + 1));
            if (l + 2 < params.size()) {
                h = h.relu();
            }
        }
        return h.logSoftmax(1).mul(targets).sum().div(-BATCH);
    }

    @Benchmark
    public List<Variable> mlpGrad() {
        return Autograd.grad(List.of(loss()), params, null, false, false, false);
    }

    @Benchmark
    public List<Variable> mlpHvp() {
        List<Variable> g = Autograd.grad(List.of(loss()), params, null, true, true, false);
        Variable inner = null;
        for (int i = 0; i < g.size(); i++) {
            Variable term = g.get(i).mul(directions.get(i)).sum();
            inner = inner == null ? term : inner.add(term);
        }
        return Autograd.grad(List.of(inner), params, null, false, false, false);
    }
}
