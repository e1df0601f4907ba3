package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Long float64 trajectories of the wrappers and of KOALA against the independent references of
 * {@code fixtures/wrappers/gen_wrapper_fixtures.py}: Lookahead in every pullback mode around SGD and Adam (the
 * live and the slow weights), iterate averaging as Gadam (AdamW) and GadamX (PadamW) with several start steps and
 * frequencies (the live weights and the average), and KOALA-V and KOALA-M with their settings, fixed or adaptive
 * R, weight decay and a target loss. Each case runs 60 steps on the three problems of {@link TorchTrajectoryTest}
 * with the exact gradient from Descent's autograd; KOALA steps as {@code descent optimize} does, with the loss f
 * and the statistic f². Every value must stay within a relative error of 1e-10 of the reference after every step.
 * The fixtures were written by {@code fixtures/trajectories-wrappers/gen_wrapper_trajectories.py}.
 */
class WrapperTrajectoryTest {
    private static final String DIR = "/fixtures/trajectories-wrappers/";
    private static final List<String> PROBLEMS = List.of("rosenbrock", "quadratic", "mlp");
    private static final List<String> VARIANTS = List.of(
            "lookahead_sgd_default", "lookahead_sgd_reset", "lookahead_sgd_pullback", "lookahead_sgd_pullback_copy",
            "lookahead_sgd_k1", "lookahead_adam_none", "lookahead_adam_reset", "lookahead_adam_pullback",
            "lookahead_adam_pullback_copy",
            "gadam_default", "gadam_start_frequency", "gadam_late_start", "gadamx_default", "gadamx_options",
            "gadamx_l2",
            "koala_v_default", "koala_v_options", "koala_v_fixed_r_decay", "koala_v_target",
            "koala_m_default", "koala_m_options", "koala_m_fixed_r_decay", "koala_m_target");

    static Stream<Arguments> cases() {
        return VARIANTS.stream().flatMap(v -> PROBLEMS.stream().map(p -> Arguments.of(v, p)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void followsReferenceTrajectory(String variant, String problem) {
        String name = variant + "_" + problem;
        TorchTrajectoryTest.Trajectory t = TorchTrajectoryTest.Trajectory.load(DIR, name);
        assertEquals(problem, t.problem, name + ": problem");
        Map<String, Variable> params = new LinkedHashMap<>();
        t.init.forEach((n, v) -> params.put(n, Variable.parameter(v.clone())));
        Optimizer opt = build(t, params);
        assertEquals(60, t.expected.size(), name + ": steps");
        for (int step = 1; step <= t.expected.size(); step++) {
            if (opt instanceof Koala koala) {
                koala.step(() -> {
                    double f = gradient(problem, params);
                    return new Koala.Loss(f, f * f);
                });
            } else {
                gradient(problem, params);
                opt.step();
            }
            check(name, t, "param", step, params, p -> p.value());
            if (opt instanceof Lookahead lookahead) {
                check(name, t, "slow", step, params, lookahead::slowWeights);
            } else if (opt instanceof IterateAveraging averaging) {
                check(name, t, "avg", step, params, averaging::average);
            }
        }
    }

    /** Clears the gradients, then the objective's value at the parameters, with its gradient accumulated. */
    private static double gradient(String problem, Map<String, Variable> params) {
        params.values().forEach(p -> p.setGrad(null));
        Variable f = TorchTrajectoryTest.objective(problem, params);
        f.backward();
        return f.value().item();
    }

    /** Each parameter's {@code kind} value after {@code step}: absent where the reference has none (no average yet). */
    private static void check(String name, TorchTrajectoryTest.Trajectory t, String kind, int step,
                              Map<String, Variable> params, Function<Variable, Tensor> actual) {
        List<Map<String, double[]>> series = t.series(kind);
        Map<String, double[]> want = step <= series.size() ? series.get(step - 1) : Map.of();
        params.forEach((n, p) -> {
            String what = name + ": step " + step + ", " + kind + " " + n;
            Tensor value = actual.apply(p);
            if (want.get(n) == null) {
                assertNull(value, what + " exists, the reference has none yet");
            } else {
                assertNotNull(value, what + " is missing");
                TorchTrajectoryTest.assertClose(what, want.get(n), value.toDoubleArray());
            }
        });
    }

    private static Optimizer build(TorchTrajectoryTest.Trajectory t, Map<String, Variable> params) {
        Map<String, String> w = t.settings;
        List<ParamGroup> groups = List.of(new ParamGroup(params, t.options));
        return switch (t.optimizer) {
            case "Lookahead" -> {
                Optimizer inner = inner(w.get("inner"), groups);
                yield w.containsKey("k")
                        ? new Lookahead(inner, (int) number(w, "k"), number(w, "alpha"),
                                Lookahead.Pullback.valueOf(w.get("pullback").toUpperCase(Locale.ROOT)),
                                w.getOrDefault("buffer", "momentum_buffer"))
                        : new Lookahead(inner);
            }
            case "IterateAveraging" -> {
                long start = (long) number(w, "start");
                long frequency = (long) number(w, "frequency");
                String factory = w.get("factory");
                if (factory == null) {
                    yield new IterateAveraging(inner(w.get("inner"), groups), start, frequency);
                }
                assertEquals(Set.of("lr"), t.options.keySet(), "the factories take lr only");
                double lr = t.options.get("lr");
                yield factory.equals("gadam") ? IterateAveraging.gadam(params, lr, start, frequency)
                        : IterateAveraging.gadamX(params, lr, start, frequency);
            }
            case "KoalaV", "KoalaM" -> {
                Map<String, Double> settings = new LinkedHashMap<>();
                w.forEach((k, v) -> settings.put(k, Double.parseDouble(v)));
                Double target = settings.remove("target");
                Koala koala = t.optimizer.equals("KoalaV") ? new Koala.Vanilla(groups, settings)
                        : new Koala.Momentum(groups, settings);
                if (target != null) {
                    koala.setTargetLoss(() -> target);
                }
                yield koala;
            }
            default -> throw new IllegalArgumentException("unknown optimizer " + t.optimizer);
        };
    }

    private static Optimizer inner(String name, List<ParamGroup> groups) {
        return switch (name) {
            case "SGD" -> new SGD(groups);
            case "Adam" -> new Adam(groups);
            case "AdamW" -> new AdamW(groups);
            case "PadamW" -> new PadamW(groups);
            default -> throw new IllegalArgumentException("unknown inner optimizer " + name);
        };
    }

    private static double number(Map<String, String> wrapper, String key) {
        String v = wrapper.get(key);
        assertNotNull(v, "the fixture's settings line lacks " + key);
        return Double.parseDouble(v);
    }
}
