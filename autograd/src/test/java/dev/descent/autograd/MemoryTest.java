package dev.descent.autograd;

import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graphs do not outlive their step: hundreds of training steps of the {@code mlp} workload of
 * {@code ../shared/bench} (784-512-512-10, batch 128), and Hessian-vector products with {@code createGraph}
 * in a loop, leave the heap retained after a full GC flat. One leaked graph per step would retain about
 * 1.5 MB (the activations and masks of a step), so a leak of 200 steps would be hundreds of MB.
 */
class MemoryTest {
    private static final int BATCH = 128;
    private static final long ALLOWED_GROWTH = 16L << 20;

    private final List<Variable> params = new ArrayList<>();
    private final Variable x;
    private final Variable targets;

    MemoryTest() {
        Rng rng = new Rng(9);
        int[] widths = {784, 512, 512, 10};
        for (int l = 0; l + 1 < widths.length; l++) {
            double bound = 1 / Math.sqrt(widths[l]);
            params.add(Variable.parameter(Tensor.rand(rng, widths[l + 1], widths[l]).mul(2 * bound).sub(bound)));
            params.add(Variable.parameter(Tensor.rand(rng, widths[l + 1]).mul(2 * bound).sub(bound)));
        }
        x = Variable.constant(Tensor.randn(rng, BATCH, widths[0]));
        targets = Variable.constant(Tensor.randint(rng, 0, 10, BATCH).oneHot(10).cast(x.dtype()));
    }

    private Variable loss() {
        Variable h = x;
        for (int l = 0; l < params.size(); l += 2) {
            h = h.matmul(params.get(l).t()).add(params.get(l + 1));
            if (l + 2 < params.size()) {
                h = h.relu();
            }
        }
        return h.logSoftmax(1).mul(targets).sum().div(-BATCH);
    }

    private void sgdStep() {
        for (Variable p : params) {
            p.zeroGrad();
        }
        loss().backward();
        try (Autograd.Scope scope = Autograd.noGrad()) {
            for (Variable p : params) {
                p.value().add_(p.grad(), -0.01);
            }
        }
    }

    private void hvpStep() {
        List<Variable> g = Autograd.grad(List.of(loss()), params, null, true, true, false);
        Variable inner = g.get(0).square().sum();
        for (int i = 1; i < g.size(); i++) {
            inner = inner.add(g.get(i).square().sum());
        }
        Autograd.grad(List.of(inner), params, null, false, false, false);
    }

    private static long retainedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void trainingStepsLeaveTheRetainedHeapFlat() {
        for (int i = 0; i < 20; i++) {
            sgdStep();
        }
        long before = retainedHeap();
        for (int i = 0; i < 200; i++) {
            sgdStep();
        }
        long after = retainedHeap();
        assertTrue(after - before < ALLOWED_GROWTH, "retained heap grew by " + (after - before) / 1024 + " KiB over 200 steps");
    }

    @Test
    void gradientsWithAGraphInALoopLeaveTheRetainedHeapFlat() {
        for (int i = 0; i < 5; i++) {
            hvpStep();
        }
        long before = retainedHeap();
        for (int i = 0; i < 60; i++) {
            hvpStep();
        }
        long after = retainedHeap();
        assertTrue(after - before < ALLOWED_GROWTH, "retained heap grew by " + (after - before) / 1024 + " KiB over 60 steps");
    }
}
