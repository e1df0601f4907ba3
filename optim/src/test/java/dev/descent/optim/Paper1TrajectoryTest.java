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
 * Long float64 trajectories of the paper optimizers of spec/optimizers.md sections 2, 4, 5 and 7 (official RAdam,
 * AdaBelief, ACProp, diffGrad) against the independent plain reference implementations of
 * {@code fixtures/paper1/gen_paper1_fixtures.py}: every optimizer with every single-group variant of its options
 * from the paper1 fixtures runs 60 steps on the problems of {@link TorchTrajectoryTest} (Rosenbrock, an
 * ill-conditioned quadratic and a small tanh MLP), with the exact gradient computed by Descent's autograd at every
 * step, and each parameter must stay within a relative error of 1e-10 of the reference's after every step. The
 * fixtures are described in {@code fixtures/trajectories-paper1/gen_trajectories_paper1.py}, which wrote them.
 */
class Paper1TrajectoryTest {
    private static final double TOLERANCE = 1e-10;
    private static final String DIR = "/fixtures/trajectories-paper1/";
    private static final List<String> PROBLEMS = List.of("rosenbrock", "quadratic", "mlp");
    private static final List<String> VARIANTS = List.of(
            "oradam_plain", "oradam_no_cache", "oradam_degenerated", "oradam_paper", "oradam_beta2",
            "adabelief_default", "adabelief_v005", "adabelief_large_eps", "adabelief_amsgrad",
            "adabelief_amsgrad_rectify", "adabelief_fixed_decay", "adabelief_l2", "adabelief_no_sgd",
            "acprop_plain", "acprop_momentum", "acprop_code_defaults", "acprop_rectify_momentum", "acprop_rectify_g",
            "acprop_amsgrad", "acprop_l2", "acprop_fixed_decay",
            "diffgrad_plain", "diffgrad_weight_decay", "diffgrad_paper_epsilon");

    static Stream<Arguments> cases() {
        return VARIANTS.stream().flatMap(v -> PROBLEMS.stream().map(p -> Arguments.of(v, p)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void followsReferenceTrajectory(String variant, String problem) {
        String name = variant + "_" + problem;
        Trajectory t = Trajectory.load(name);
        assertEquals(problem, t.problem, name + ": problem");
        Map<String, Variable> params = new LinkedHashMap<>();
        t.init.forEach((n, v) -> params.put(n, Variable.parameter(v.clone())));
        Optimizer opt = build(t.optimizer, new ParamGroup(params, t.options));
        assertEquals(60, t.expected.size(), name + ": steps");
        for (int step = 1; step <= t.expected.size(); step++) {
            params.values().forEach(p -> p.setGrad(null));
            TorchTrajectoryTest.objective(problem, params).backward();
            opt.step();
            for (Map.Entry<String, Variable> e : params.entrySet()) {
                double[] actual = e.getValue().value().toDoubleArray();
                double[] want = t.expected.get(step - 1).get(e.getKey());
                assertNotNull(want, name + ": step " + step + " lacks " + e.getKey());
                assertEquals(want.length, actual.length);
                for (int i = 0; i < want.length; i++) {
                    double rel = actual[i] == want[i] ? 0 : Math.abs(actual[i] - want[i]) / Math.abs(want[i]);
                    if (!(rel < TOLERANCE)) {
                        fail(name + ": step " + step + ", " + e.getKey() + "[" + i + "] = " + actual[i]
                                + ", the reference has " + want[i] + " (relative error " + rel + ")");
                    }
                }
            }
        }
    }

    private static Optimizer build(String optimizer, ParamGroup group) {
        List<ParamGroup> groups = List.of(group);
        return switch (optimizer) {
            case "OfficialRAdam" -> new OfficialRAdam(groups);
            case "AdaBelief" -> new AdaBelief(groups);
            case "ACProp" -> new ACProp(groups);
            case "DiffGrad" -> new DiffGrad(groups);
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
        };
    }

    /** One fixture: optimizer, problem, hyperparameters (Descent names), initial parameters, the reference's run. */
    private static final class Trajectory {
        String optimizer;
        String problem;
        final Map<String, Double> options = new LinkedHashMap<>();
        final Map<String, Tensor> init = new LinkedHashMap<>();
        final List<Map<String, double[]>> expected = new ArrayList<>();

        static Trajectory load(String name) {
            Trajectory t = new Trajectory();
            for (String[] w : lines(DIR + name + ".txt")) {
                switch (w[0]) {
                    case "optimizer" -> t.optimizer = w[1];
                    case "problem" -> t.problem = w[1];
                    case "group" -> {
                        for (int i = 1; i < w.length; i++) {
                            String[] kv = w[i].split("=", 2);
                            t.options.put(kv[0], Double.parseDouble(kv[1]));
                        }
                    }
                    case "init" -> t.init.put(w[1], tensor(Arrays.copyOfRange(w, 1, w.length)));
                    case "param" -> {
                        int step = Integer.parseInt(w[1]);
                        while (t.expected.size() < step) {
                            t.expected.add(new LinkedHashMap<>());
                        }
                        t.expected.get(step - 1).put(w[2], values(w, 3));
                    }
                    default -> fail(name + ": unexpected line " + String.join(" ", w));
                }
            }
            return t;
        }
    }

    private static List<String[]> lines(String path) {
        try (InputStream in = Paper1TrajectoryTest.class.getResourceAsStream(path)) {
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

    private static double[] values(String[] w, int from) {
        return Arrays.stream(w, from, w.length).mapToDouble(Double::parseDouble).toArray();
    }
}
