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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Long float64 trajectories of the paper optimizers (Adafactor in both modes, Adan, PNM, AdaPNM, signSGD, Signum,
 * Generalized SignSGD, LARS, LAMB) against the independent reference implementations of
 * {@code fixtures/paper2/gen_paper2_fixtures.py}: every optimizer with the main variants of its options runs 60
 * steps on the three problems of {@link TorchTrajectoryTest} (Rosenbrock, the ill-conditioned quadratic, the small
 * tanh MLP), with the exact gradient computed by Descent's autograd at every step, and each parameter must stay
 * within a relative error of 1e-10 of the reference's after every step. The fixtures were written by
 * {@code fixtures/trajectories-paper2/gen_paper2_trajectories.py}.
 */
class Paper2TrajectoryTest {
    private static final double TOLERANCE = 1e-10;
    private static final String DIR = "/fixtures/trajectories-paper2/";
    private static final List<String> PROBLEMS = List.of("rosenbrock", "quadratic", "mlp");
    private static final List<String> VARIANTS = List.of(
            "adafactor_hf_default", "adafactor_hf_warmup", "adafactor_hf_fixed_lr", "adafactor_hf_momentum_decay",
            "adafactor_torch_default", "adafactor_torch_options",
            "adan_default", "adan_prox_decay", "adan_no_prox", "adan_clip", "adan_restart",
            "pnm_default", "pnm_l2", "pnm_decoupled",
            "adapnm_default", "adapnm_no_amsgrad_l2", "adapnm_decoupled",
            "signsgd_default", "signsgd_decay", "signsgd_l2", "signum_default", "signum_l2",
            "gsignsgd_default", "gsignsgd_bias_correction", "gsignsgd_beta2",
            "lars_default", "lars_decay", "lars_no_momentum", "lars_no_adapt",
            "lamb_default", "lamb_decay", "lamb_clipped_no_bias_correction", "lamb_beta1");

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
        boolean maximize = t.options.getOrDefault("maximize", 0.0) == 1.0;
        assertEquals(60, t.expected.size(), name + ": steps");
        for (int step = 1; step <= t.expected.size(); step++) {
            if (t.restarts.contains(step)) {
                ((Adan) opt).restart();
            }
            params.values().forEach(p -> p.setGrad(null));
            Variable f = TorchTrajectoryTest.objective(problem, params);
            (maximize ? f.neg() : f).backward();
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
                                + ", reference has " + want[i] + " (relative error " + rel + ")");
                    }
                }
            }
        }
    }

    private static Optimizer build(String optimizer, ParamGroup group) {
        List<ParamGroup> groups = List.of(group);
        return switch (optimizer) {
            case "Adafactor.HF" -> new Adafactor(groups, Adafactor.Mode.HF);
            case "Adafactor.TORCH" -> new Adafactor(groups, Adafactor.Mode.TORCH);
            case "Adan" -> new Adan(groups);
            case "PNM" -> new PNM(groups);
            case "AdaPNM" -> new AdaPNM(groups);
            case "SignSGD" -> new SignSGD(groups);
            case "Signum" -> new Signum(groups);
            case "GeneralizedSignSGD" -> new GeneralizedSignSGD(groups);
            case "LARS" -> new LARS(groups);
            case "LAMB" -> new LAMB(groups);
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
        };
    }

    /** One fixture: optimizer, problem, hyperparameters, initial parameters, Adan restarts, the reference run. */
    private static final class Trajectory {
        String optimizer;
        String problem;
        final Map<String, Double> options = new LinkedHashMap<>();
        final Map<String, Tensor> init = new LinkedHashMap<>();
        final Set<Integer> restarts = new HashSet<>();
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
                    case "init" -> {
                        int[] shape = Arrays.stream(w[2].split(",")).mapToInt(Integer::parseInt).toArray();
                        t.init.put(w[1], Tensor.of(values(w, 3), shape));
                    }
                    case "restart" -> t.restarts.add(Integer.parseInt(w[1]));
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
        try (InputStream in = Paper2TrajectoryTest.class.getResourceAsStream(path)) {
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

    private static double[] values(String[] w, int from) {
        return Arrays.stream(w, from, w.length).mapToDouble(Double::parseDouble).toArray();
    }
}
