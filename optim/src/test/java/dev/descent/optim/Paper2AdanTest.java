package dev.descent.optim;

import static dev.descent.optim.Paper2Fixture.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Adan} (spec §8) against the reference fixtures, resuming, restart, defaults, validation. */
class Paper2AdanTest {
    @ParameterizedTest
    @ValueSource(strings = {"adan_default", "adan_prox_decay", "adan_no_prox", "adan_clip", "adan_restart",
        "adan_skip_two_groups"})
    void matchesReferenceStepByStep(String fixture) {
        Paper2Fixture.load(fixture).assertMatchesReference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"adan_default", "adan_prox_decay", "adan_no_prox", "adan_clip", "adan_restart",
        "adan_skip_two_groups"})
    void resumesBitIdentically(String fixture) {
        Paper2Fixture.load(fixture).assertResumesExactly();
    }

    @Test
    void hasTheCodesDefaults() {
        assertEquals(Map.of("lr", 1e-3, "beta1", 0.98, "beta2", 0.92, "beta3", 0.99, "eps", 1e-8, "weight_decay", 0.0,
                "max_grad_norm", 0.0, "no_prox", 0.0), Adan.DEFAULTS);
    }

    @Test
    void rejectsBadHyperparametersNamingThem() {
        Function<List<ParamGroup>, Optimizer> adan = Adan::new;
        assertRejected("Adan", adan, "lr", -0.1, Map.of());
        assertRejected("Adan", adan, "beta1", 1.0, Map.of());
        assertRejected("Adan", adan, "beta3", -0.5, Map.of());
        assertRejected("Adan", adan, "max_grad_norm", -1.0, Map.of());
        assertRejected("Adan", adan, "no_prox", 0.5, Map.of());
    }

    @Test
    void countsStepsPerGroupAndRestartResetsThem() {
        Variable w = Variable.parameter(Tensor.ones(DType.FLOAT64, 3));
        Variable b = Variable.parameter(Tensor.ones(DType.FLOAT64, 2));
        Adan opt = new Adan(List.of(new ParamGroup(Map.of("w", w, "b", b))));
        w.setGrad(Tensor.ones(DType.FLOAT64, 3));
        opt.step();
        opt.step();
        assertEquals(2, opt.groupStep(0));
        assertEquals(2, opt.state(w).step());
        assertEquals(null, opt.state(b));
        assertEquals(2L, opt.stateScalars().get("adan_group_step.0"));
        opt.restart();
        assertEquals(0, opt.groupStep(0));
        for (double x : opt.state(w).buffer("exp_avg").toDoubleArray()) {
            assertEquals(0.0, x);
        }
    }

    @Test
    void refusesAStateWithoutTheGroupCounter() {
        Variable w = Variable.parameter(Tensor.ones(DType.FLOAT64, 3));
        Adan opt = new Adan(Map.of("w", w), 0.01);
        w.setGrad(Tensor.ones(DType.FLOAT64, 3));
        opt.step();
        Map<String, Object> scalars = new LinkedHashMap<>(opt.stateScalars());
        scalars.remove("adan_group_step.0");
        Adan fresh = new Adan(Map.of("w", w), 0.01);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fresh.loadState(opt.stateTensors(), scalars));
        assertTrue(e.getMessage().contains("adan_group_step.0"), e.getMessage());
    }
}
