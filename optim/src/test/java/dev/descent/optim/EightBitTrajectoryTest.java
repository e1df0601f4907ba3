package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.autograd.Variable;
import dev.descent.optim.eightbit.Adam8bit;
import dev.descent.optim.eightbit.AdamW8bit;
import dev.descent.optim.eightbit.EightBitOptimizer;
import dev.descent.optim.eightbit.Momentum8bit;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Long trajectories of Adam8bit, AdamW8bit and Momentum8bit against the float32 references of
 * {@code fixtures/eightbit/gen_eightbit_fixtures.py}: 60 steps on the problems of {@link TorchTrajectoryTest} and
 * on {@code wide}, a 300-component quadratic that block sizes 64 to 256 cut into several blocks, with 8-bit state
 * ({@code min_8bit_size} 0), with the default 32-bit fallback for small tensors, with a full-precision set, with
 * weight decay and other betas. The 8-bit optimizers take float32 only, so the parameters are float32 and each
 * step's gradient is the float64 gradient from Descent's autograd at the float32 parameters, rounded to float32;
 * the fixtures' generator ({@code fixtures/trajectories-eightbit/gen_eightbit_trajectories.py}) checked that
 * every such rounding is far from a tie, or is the exact tie of an exact product. Both implementations then
 * compute the same float32 operations, and every parameter must stay within a relative error of 1e-10 of the
 * reference (in float32: equal) after every step.
 */
class EightBitTrajectoryTest {
    private static final String DIR = "/fixtures/trajectories-eightbit/";
    private static final List<String> ALL = List.of("rosenbrock", "quadratic", "mlp", "wide");
    private static final Map<String, List<String>> VARIANTS = variants();
    private static final int WIDE = 300;

    private static Map<String, List<String>> variants() {
        Map<String, List<String>> v = new LinkedHashMap<>();
        for (String name : List.of("adam8bit_default", "adam8bit_betas", "adam8bit_decay", "adam8bit_fallback32",
                "adamw8bit_default", "adamw8bit_options", "momentum8bit_default", "momentum8bit_decay",
                "momentum8bit_fallback32")) {
            v.put(name, ALL);
        }
        for (String name : List.of("adam8bit_block64", "adam8bit_block2048", "momentum8bit_block64",
                "momentum8bit_block2048")) {
            v.put(name, List.of("wide"));
        }
        v.put("adam8bit_full_precision", List.of("mlp"));
        return v;
    }

    static Stream<Arguments> cases() {
        return VARIANTS.entrySet().stream().flatMap(e -> e.getValue().stream().map(p -> Arguments.of(e.getKey(), p)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void followsReferenceTrajectory(String variant, String problem) {
        String name = variant + "_" + problem;
        TorchTrajectoryTest.Trajectory t = TorchTrajectoryTest.Trajectory.load(DIR, name);
        assertEquals(problem, t.problem, name + ": problem");
        Map<String, Variable> params = new LinkedHashMap<>();
        t.init.forEach((n, v) -> params.put(n, Variable.parameter(v.cast(DType.FLOAT32))));
        String full = t.settings.get("full_precision");
        Set<String> fullPrecision = full == null ? Set.of() : Set.of(full.split(","));
        ParamGroup group = new ParamGroup(params, t.options);
        EightBitOptimizer opt = build(t.optimizer, group, fullPrecision);
        double minSize = t.options.getOrDefault("min_8bit_size", EightBitOptimizer.MIN_8BIT_SIZE);
        assertEquals(60, t.expected.size(), name + ": steps");
        for (int step = 1; step <= t.expected.size(); step++) {
            Map<String, Variable> float64 = new LinkedHashMap<>();
            params.forEach((n, p) -> float64.put(n, Variable.parameter(p.value().cast(DType.FLOAT64))));
            objective(problem, float64).backward();
            params.forEach((n, p) -> p.setGrad(float64.get(n).grad().cast(DType.FLOAT32)));
            opt.step();
            for (Map.Entry<String, Variable> e : params.entrySet()) {
                Variable p = e.getValue();
                boolean eightBit = !fullPrecision.contains(e.getKey()) && p.value().numel() >= minSize;
                assertEquals(eightBit, opt.isEightBit(group, p), name + ": 8-bit state of " + e.getKey());
                TorchTrajectoryTest.assertClose(name + ": step " + step + ", " + e.getKey(),
                        asFloats(t.expected.get(step - 1).get(e.getKey())), e.getValue().value().toDoubleArray());
            }
        }
    }

    /** The fixture's nine-digit values, each rounded to the float32 value it identifies. */
    private static double[] asFloats(double[] values) {
        return Arrays.stream(values).map(v -> (float) v).toArray();
    }

    /** {@link TorchTrajectoryTest#objective}, and for {@code wide} the generator's wide quadratic. */
    private static Variable objective(String problem, Map<String, Variable> params) {
        if (!problem.equals("wide")) {
            return TorchTrajectoryTest.objective(problem, params);
        }
        double[] lambda = new double[WIDE];
        for (int i = 0; i < WIDE; i++) {
            lambda[i] = (1 + (37 * i) % 101) / 64.0;
        }
        return params.get("x").square().mul(Variable.constant(Tensor.of(lambda, WIDE))).sum().mul(0.5);
    }

    private static EightBitOptimizer build(String optimizer, ParamGroup group, Set<String> fullPrecision) {
        List<ParamGroup> groups = List.of(group);
        return switch (optimizer) {
            case "Adam8bit" -> new Adam8bit(groups, fullPrecision);
            case "AdamW8bit" -> new AdamW8bit(groups, fullPrecision);
            case "Momentum8bit" -> new Momentum8bit(groups, fullPrecision);
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
        };
    }
}
