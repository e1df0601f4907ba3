package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Long float64 trajectories of the torch.optim classics against PyTorch 1.13: every optimizer with every variant
 * of its options runs 60 steps on Rosenbrock, an ill-conditioned quadratic and a small tanh MLP, with the exact
 * gradient computed by Descent's autograd at every step, and each parameter must stay within a relative error of
 * 1e-10 of torch's after every step. The fixtures and the problems are described in
 * {@code fixtures/trajectories/gen_trajectories.py}, which wrote them.
 */
class TorchTrajectoryTest {
    private static final double TOLERANCE = 1e-10;
    private static final String DIR = "/fixtures/trajectories/";
    private static final List<String> PROBLEMS = List.of("rosenbrock", "quadratic", "mlp");
    private static final List<String> VARIANTS = List.of(
            "sgd_plain", "sgd_momentum", "sgd_dampening", "sgd_nesterov", "sgd_weight_decay", "sgd_maximize",
            "adam_plain", "adam_betas", "adam_weight_decay", "adam_amsgrad", "adam_maximize", "adam_decoupled",
            "adamw_plain", "adamw_weight_decay", "adamw_amsgrad", "adamw_maximize",
            "adamax_plain", "adamax_weight_decay", "adamax_maximize",
            "rmsprop_plain", "rmsprop_alpha", "rmsprop_centered", "rmsprop_momentum", "rmsprop_weight_decay",
            "rmsprop_all", "rmsprop_maximize",
            "adagrad_plain", "adagrad_lr_decay", "adagrad_weight_decay", "adagrad_initial_accumulator",
            "adagrad_maximize",
            "adadelta_plain", "adadelta_rho", "adadelta_weight_decay", "adadelta_maximize",
            "nadam_plain", "nadam_momentum_decay", "nadam_weight_decay", "nadam_decoupled", "nadam_maximize",
            "radam_plain", "radam_beta2", "radam_weight_decay", "radam_decoupled", "radam_maximize");

    private static final Map<String, String[]> DATA = readData();
    private static final Tensor LAMBDA = tensor(DATA.get("lambda"));
    private static final Tensor X = tensor(DATA.get("x"));
    private static final Tensor ONE_HOT = oneHot(DATA.get("y"), 3);

    static Stream<Arguments> cases() {
        return VARIANTS.stream().flatMap(v -> PROBLEMS.stream().map(p -> Arguments.of(v, p)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void followsTorchTrajectory(String variant, String problem) {
        follow(DIR, variant, problem, TorchTrajectoryTest::build);
    }

    /**
     * Replays the fixture {@code <dir><variant>_<problem>.txt}: the optimizer {@code build} makes for its name runs
     * every step on the exact gradient, and each parameter must stay within {@link #TOLERANCE} of the reference.
     */
    static void follow(String dir, String variant, String problem,
                       java.util.function.BiFunction<String, ParamGroup, Optimizer> build) {
        String name = variant + "_" + problem;
        Trajectory t = Trajectory.load(dir, name);
        assertEquals(problem, t.problem, name + ": problem");
        Map<String, Variable> params = new LinkedHashMap<>();
        t.init.forEach((n, v) -> params.put(n, Variable.parameter(v.clone())));
        Optimizer opt = build.apply(t.optimizer, new ParamGroup(params, t.options));
        boolean maximize = t.options.getOrDefault("maximize", 0.0) == 1.0;
        assertEquals(60, t.expected.size(), name + ": steps");
        for (int step = 1; step <= t.expected.size(); step++) {
            params.values().forEach(p -> p.setGrad(null));
            Variable f = objective(problem, params);
            (maximize ? f.neg() : f).backward();
            opt.step();
            for (Map.Entry<String, Variable> e : params.entrySet()) {
                double[] want = t.expected.get(step - 1).get(e.getKey());
                assertNotNull(want, name + ": step " + step + " lacks " + e.getKey());
                assertClose(name + ": step " + step + ", " + e.getKey(), want, e.getValue().value().toDoubleArray());
            }
        }
    }

    /** Fails, naming {@code what} and the element, unless every value is within {@link #TOLERANCE} of the reference. */
    static void assertClose(String what, double[] want, double[] actual) {
        assertEquals(want.length, actual.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            double rel = actual[i] == want[i] ? 0 : Math.abs(actual[i] - want[i]) / Math.abs(want[i]);
            if (!(rel < TOLERANCE)) {
                fail(what + "[" + i + "] = " + actual[i] + ", the reference has " + want[i] + " (relative error "
                        + rel + ")");
            }
        }
    }

    /** The same operations, in the same order, as {@code objective} in gen_trajectories.py. */
    static Variable objective(String problem, Map<String, Variable> params) {
        switch (problem) {
            case "rosenbrock" -> {
                Variable p = params.get("p");
                Variable x = p.select(0, 0);
                Variable y = p.select(0, 1);
                return x.rsub(1.0).square().add(y.sub(x.square()).square().mul(100.0));
            }
            case "quadratic" -> {
                return params.get("x").square().mul(Variable.constant(LAMBDA)).sum().mul(0.5);
            }
            case "mlp" -> {
                Variable h = Variable.constant(X).matmul(params.get("w1")).add(params.get("b1")).tanh();
                Variable logits = h.matmul(params.get("w2")).add(params.get("b2"));
                return logits.logSoftmax(1).mul(Variable.constant(ONE_HOT)).sum().neg().div(16.0);
            }
            default -> throw new IllegalArgumentException("unknown problem " + problem);
        }
    }

    private static Optimizer build(String optimizer, ParamGroup group) {
        List<ParamGroup> groups = List.of(group);
        return switch (optimizer) {
            case "SGD" -> new SGD(groups);
            case "Adam" -> new Adam(groups);
            case "AdamW" -> new AdamW(groups);
            case "Adamax" -> new Adamax(groups);
            case "RMSprop" -> new RMSprop(groups);
            case "Adagrad" -> new Adagrad(groups);
            case "Adadelta" -> new Adadelta(groups);
            case "NAdam" -> new NAdam(groups);
            case "RAdam" -> new RAdam(groups);
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
        };
    }

    /**
     * One fixture: optimizer, problem, hyperparameters (Descent names), initial parameters, the reference's
     * trajectory; some fixtures add constructor settings ({@code settings} line: a wrapper's, KOALA's) and series
     * of slow weights or averages ({@code slow} / {@code avg} lines, in the format of {@code param} lines).
     */
    static final class Trajectory {
        String optimizer;
        String problem;
        final Map<String, Double> options = new LinkedHashMap<>();
        final Map<String, String> settings = new LinkedHashMap<>();
        final Map<String, Tensor> init = new LinkedHashMap<>();
        final Map<String, List<Map<String, double[]>>> series = new LinkedHashMap<>();
        final List<Map<String, double[]>> expected = series("param");

        /** The values of {@code kind} ("param", "slow", "avg") by step (index step − 1) and parameter. */
        List<Map<String, double[]>> series(String kind) {
            return series.computeIfAbsent(kind, k -> new ArrayList<>());
        }

        static Trajectory load(String dir, String name) {
            Trajectory t = new Trajectory();
            for (String[] w : lines(dir + name + ".txt")) {
                switch (w[0]) {
                    case "optimizer" -> t.optimizer = w[1];
                    case "problem" -> t.problem = w[1];
                    case "group" -> {
                        for (int i = 1; i < w.length; i++) {
                            String[] kv = w[i].split("=", 2);
                            t.options.put(kv[0], Double.parseDouble(kv[1]));
                        }
                    }
                    case "settings" -> {
                        for (int i = 1; i < w.length; i++) {
                            String[] kv = w[i].split("=", 2);
                            t.settings.put(kv[0], kv[1]);
                        }
                    }
                    case "init" -> t.init.put(w[1], tensor(Arrays.copyOfRange(w, 1, w.length)));
                    case "param", "slow", "avg" -> {
                        int step = Integer.parseInt(w[1]);
                        List<Map<String, double[]>> series = t.series(w[0]);
                        while (series.size() < step) {
                            series.add(new LinkedHashMap<>());
                        }
                        series.get(step - 1).put(w[2], values(w, 3));
                    }
                    default -> fail(name + ": unexpected line " + String.join(" ", w));
                }
            }
            return t;
        }
    }

    private static Map<String, String[]> readData() {
        Map<String, String[]> data = new LinkedHashMap<>();
        lines(DIR + "problem_data.txt").forEach(w -> data.put(w[0], w));
        return data;
    }

    private static List<String[]> lines(String path) {
        try (InputStream in = TorchTrajectoryTest.class.getResourceAsStream(path)) {
            assertNotNull(in, "missing fixture " + path);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String[]> lines = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line.split(" "));
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code <key> <shape, comma separated> <values>} as a FLOAT64 tensor. */
    private static Tensor tensor(String[] w) {
        int[] shape = Arrays.stream(w[1].split(",")).mapToInt(Integer::parseInt).toArray();
        return Tensor.of(values(w, 2), shape);
    }

    private static Tensor oneHot(String[] w, int classes) {
        int n = Integer.parseInt(w[1]);
        double[] data = new double[n * classes];
        for (int i = 0; i < n; i++) {
            data[i * classes + Integer.parseInt(w[2 + i])] = 1.0;
        }
        return Tensor.of(data, n, classes);
    }

    private static double[] values(String[] w, int from) {
        return Arrays.stream(w, from, w.length).mapToDouble(Double::parseDouble).toArray();
    }
}
