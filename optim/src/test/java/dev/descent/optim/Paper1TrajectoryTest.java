package dev.descent.optim;

import java.util.List;
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
        TorchTrajectoryTest.follow(DIR, variant, problem, Paper1TrajectoryTest::build);
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
}
