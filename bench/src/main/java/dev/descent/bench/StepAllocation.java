package dev.descent.bench;

import dev.descent.autograd.Variable;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Threads;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Bytes allocated per optimizer step, counted directly: each optimizer of {@link OptimizerStepBenchmark}'s
 * list (KOALA through {@link OptimizerStepBenchmark#stepper}) runs on 10 FLOAT32 parameters with fixed N(0, 1)
 * gradients, takes warm-up steps (so that its state exists
 * and its code is compiled), then the bytes its thread allocates over {@value #MEASURED} steps
 * ({@code com.sun.management.ThreadMXBean}) are counted, in three windows, and the least count is divided by the
 * number of steps. The least, because a window now and then catches a few hundred bytes allocated once while
 * the JIT replaces code (seen in the first 10 - 80 steps of an optimizer), which is no cost of a step; the
 * warm-up is 100 steps because LAMB's two-phase step still showed such bytes at step 73 with 20.
 *
 * <p>JMH's {@code -prof gc} reports {@code gc.alloc.rate.norm}, which also counts what JMH itself allocates on
 * the benchmark thread at every iteration (about 6 KB here), divided by the operations of the iteration: for a
 * step of tens of milliseconds that is a few hundred bytes per "step" that the step does not allocate (Adam's
 * 10M-parameter step: about 600 B/op with 1 s iterations, 125 B/op with 4 s ones). This count has no such
 * floor.
 *
 * <p>Usage: {@code StepAllocation [elements per parameter (1000000)] [threads (1)] [optimizer names...]}; it
 * prints a Markdown table of bytes per step by optimizer.
 */
public final class StepAllocation {
    private static final int WARM_UP = 100;
    private static final int MEASURED = 20;

    private StepAllocation() {
    }

    public static void main(String[] args) {
        int elements = args.length > 0 ? Integer.parseInt(args[0]) : OptimizerStepBenchmark.ELEMENTS;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        List<String> names = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            names.add(args[i]);
        }
        if (names.isEmpty()) {
            names.addAll(Optimizers.names());
        }
        Threads.set(threads);
        System.out.printf(Locale.ROOT, "# %d parameters of %d elements, %d thread(s); %d warm-up steps, least of 3 x %d%n",
                OptimizerStepBenchmark.TENSORS, elements, threads, WARM_UP, MEASURED);
        System.out.println("| optimizer | bytes / step |");
        System.out.println("|---|---:|");
        for (String name : names) {
            System.out.printf(Locale.ROOT, "| %s | %.1f |%n", name, bytesPerStep(name, elements));
        }
    }

    /** The bytes this thread allocates per step of optimizer {@code name}, after the warm-up. */
    static double bytesPerStep(String name, int elements) {
        Rng rng = new Rng(0);
        Map<String, Variable> params = new LinkedHashMap<>();
        for (int i = 0; i < OptimizerStepBenchmark.TENSORS; i++) {
            Variable p = Variable.parameter(Tensor.randn(rng, elements));
            p.setGrad(Tensor.randn(rng, elements));
            params.put("p" + i, p);
        }
        Map<String, String> options = new HashMap<>(OptimizerStepBenchmark.REQUIRED.getOrDefault(name, Map.of()));
        Runnable step = OptimizerStepBenchmark.stepper(Optimizers.create(name, params, options));
        for (int i = 0; i < WARM_UP; i++) {
            step.run();
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        for (int window = 0; window < 3; window++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < MEASURED; i++) {
                step.run();
            }
            least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - before);
        }
        return least / (double) MEASURED;
    }
}
