package dev.descent.bench;

import dev.descent.autograd.Variable;
import dev.descent.optim.Adam;
import dev.descent.optim.Koala;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Threads;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * The optimizer step alone, on {@code adam_step_10M} of {@code ../shared/bench/torch_ref.py}: 10 FLOAT32
 * parameters of 1M elements each, N(0, 1), each with a fixed N(0, 1) gradient set once; only {@code step()}
 * is timed (the gradients are never recomputed or cleared, as in torch_ref.py).
 *
 * <ul>
 *   <li>{@code adamStep10M}: Adam at lr 1e-3 (torch's other defaults), against PyTorch's Adam with
 *       {@code foreach} off and on ({@code bench/torch_optim.py}); bar: Descent's time at most PyTorch's
 *       best.</li>
 *   <li>{@code stepPerParameter}: every optimizer of the registry {@link Optimizers} with its defaults
 *       ({@code lr=1e-3} where the reference has no default: PNM, LARS), on the same 10M parameters; Report
 *       divides the time by 10M for nanoseconds per parameter. KOALA-V and KOALA-M, whose {@code step()} needs
 *       the loss, step with {@code predict()} and {@code update} with a fixed loss ({@link #stepper}). Names
 *       added to the registry later are not in the {@code @Param} list below until added here; a trial warns
 *       on standard error about any registry name not covered.</li>
 *   <li>{@code factoredStepPerParameter}: Adafactor in both modes on 10 matrices of 1000 x 1000 (the same 10M
 *       parameters), whose second moment is factored; {@code stepPerParameter}'s vectors keep a full one.</li>
 * </ul>
 *
 * <p>Each trial's set-up takes 3 steps before JMH's warm-up, so that the optimizer's state is allocated
 * (lazily, on the first step) before anything is measured. {@code bench/run.sh OptimizerStep -prof gc}
 * adds JMH's allocation profile: {@code gc.alloc.rate.norm} is the bytes allocated on the benchmark thread per
 * step, JMH's own per-iteration objects included (about 6 KB an iteration, so a few hundred bytes per step of
 * tens of milliseconds); {@link StepAllocation} counts the step's own bytes without that floor.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OptimizerStepBenchmark {
    /** Parameters and elements per parameter: 10 x 1M = 10M, as torch_ref.py's adam_step_10M. */
    static final int TENSORS = 10;
    static final int ELEMENTS = 1_000_000;
    /** Total parameter count, by which Report divides step times. */
    public static final long PARAMETERS = (long) TENSORS * ELEMENTS;
    private static final int PRE_WARM_STEPS = 3;

    /** Registry entries that {@code step()} cannot drive: they need the loss, given by {@link #stepper}. */
    static final Set<String> NEEDS_CLOSURE = Set.of("KoalaV", "KoalaM");
    /** The fixed batch loss and mean squared per-sample loss with which {@link #stepper} steps KOALA. */
    static final double KOALA_LOSS = 1.5;
    static final double KOALA_LOSS_SQUARE = 2.5;
    /** Hyperparameters the reference leaves without a default, set here. */
    static final Map<String, Map<String, String>> REQUIRED = Map.of("PNM", Map.of("lr", "1e-3"),
            "LARS", Map.of("lr", "1e-3"));

    /** The 10 named parameters with their gradients, seeded as given. */
    static Map<String, Variable> parameters(long seed) {
        return parameters(seed, ELEMENTS);
    }

    /** The 10 named parameters of {@code shape} (ELEMENTS elements in all) with their gradients, seeded. */
    static Map<String, Variable> parameters(long seed, int... shape) {
        Rng rng = new Rng(seed);
        Map<String, Variable> ps = new LinkedHashMap<>();
        for (int i = 0; i < TENSORS; i++) {
            Variable p = Variable.parameter(Tensor.randn(rng, shape));
            p.setGrad(Tensor.randn(rng, shape));
            ps.put("p" + i, p);
        }
        return ps;
    }

    /**
     * One step of {@code optimizer}: {@code step()}, or for KOALA {@code predict()} and then {@code update} with
     * the fixed loss {@link #KOALA_LOSS} (the gradients stay fixed, as for the others).
     */
    static Runnable stepper(Optimizer optimizer) {
        if (optimizer instanceof Koala koala) {
            return () -> {
                koala.predict();
                koala.update(KOALA_LOSS, KOALA_LOSS_SQUARE);
            };
        }
        return optimizer::step;
    }

    @State(Scope.Benchmark)
    public static class AdamState {
        @Param({"1", "2"})
        public int threads;

        Optimizer optimizer;

        @Setup(Level.Trial)
        public void setUp() {
            Threads.set(threads);
            optimizer = new Adam(parameters(0), 1e-3);
            for (int i = 0; i < PRE_WARM_STEPS; i++) {
                optimizer.step();
            }
        }
    }

    @State(Scope.Benchmark)
    public static class RegistryState {
        @Param({"1", "2"})
        public int threads;

        /** Every registry name. */
        @Param({"SGD", "Adam", "AdamW", "Adamax", "RMSprop", "Adagrad", "Adadelta", "NAdam", "RAdam", "OfficialRAdam",
                "AdaBelief", "ACProp", "DiffGrad", "Adafactor", "AdafactorTorch", "Adan", "PNM", "AdaPNM", "SignSGD",
                "Signum", "GeneralizedSignSGD", "PadamW", "LARS", "LAMB", "KoalaV", "KoalaM", "Adam8bit", "AdamW8bit",
                "Momentum8bit"})
        public String optimizer;

        Runnable step;

        @Setup(Level.Trial)
        public void setUp() {
            Threads.set(threads);
            warnUncovered();
            step = stepper(Optimizers.create(optimizer, parameters(0),
                    new HashMap<>(REQUIRED.getOrDefault(optimizer, Map.of()))));
            for (int i = 0; i < PRE_WARM_STEPS; i++) {
                step.run();
            }
        }

        private static void warnUncovered() {
            Set<String> missing = new TreeSet<>(Optimizers.names());
            try {
                Param p = RegistryState.class.getField("optimizer").getAnnotation(Param.class);
                missing.removeAll(List.of(p.value()));
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(e);
            }
            if (!missing.isEmpty()) {
                System.err.println("OptimizerStepBenchmark: registry optimizers not in stepPerParameter's list: "
                        + missing + " (add them to RegistryState's @Param, or pass -p optimizer=...)");
            }
        }
    }

    @Benchmark
    public void adamStep10M(AdamState s) {
        s.optimizer.step();
    }

    @State(Scope.Benchmark)
    public static class FactoredState {
        @Param({"1", "2"})
        public int threads;

        @Param({"Adafactor", "AdafactorTorch"})
        public String optimizer;

        Optimizer instance;

        @Setup(Level.Trial)
        public void setUp() {
            Threads.set(threads);
            instance = Optimizers.create(optimizer, parameters(0, 1000, ELEMENTS / 1000), new HashMap<>());
            for (int i = 0; i < PRE_WARM_STEPS; i++) {
                instance.step();
            }
        }
    }

    @Benchmark
    public void stepPerParameter(RegistryState s) {
        s.step.run();
    }

    @Benchmark
    public void factoredStepPerParameter(FactoredState s) {
        s.instance.step();
    }
}
