package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link IterateAveraging}, Gadam and GadamX ({@link PadamW}) against spec/optimizers.md §12 references. */
class WrapperAveragingTest {
    @ParameterizedTest
    @ValueSource(strings = {"averaging_gadam", "averaging_gadamx"})
    void matchesReferenceStepByStep(String fixture) {
        WrapperFixture.load(fixture).assertMatchesReference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"averaging_gadam", "averaging_gadamx"})
    void resumesBitIdenticallyWithAverages(String fixture) {
        WrapperFixture.load(fixture).assertResumesExactly();
    }

    private static Map<String, Variable> params() {
        return Map.of("w", Variable.parameter(Tensor.of(new double[] {1, -2}, 2)));
    }

    @Test
    void factoriesBuildGadamAndGadamX() {
        IterateAveraging g = IterateAveraging.gadam(params(), 1e-3, 10, 5);
        assertTrue(g.inner() instanceof AdamW);
        assertEquals("IterateAveraging(AdamW)", g.name());
        IterateAveraging x = IterateAveraging.gadamX(params(), 0.1, 10, 5);
        assertTrue(x.inner() instanceof PadamW);
        assertEquals(0.125, x.paramGroups().get(0).get("partial"));
        assertEquals(1.0, x.paramGroups().get(0).get("amsgrad"));
        assertEquals(1.0, x.paramGroups().get(0).get("decoupled_weight_decay"));
    }

    @Test
    void padamHasTheReferenceClassDefaults() {
        assertEquals(Map.of("lr", 0.1, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0,
                "amsgrad", 1.0, "partial", 0.25, "decoupled_weight_decay", 1.0), PadamW.DEFAULTS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PadamW(List.of(new ParamGroup(params(), Map.of("partial", 0.75)))));
        assertTrue(e.getMessage().startsWith("PadamW: invalid partial 0.75"), e.getMessage());
    }

    @Test
    void collectsManuallyAndSwapsTheAverageInAndOut() {
        Map<String, Variable> ps = params();
        Variable w = ps.get("w");
        IterateAveraging ia = new IterateAveraging(new SGD(ps, 1.0), IterateAveraging.NEVER, 1);
        assertThrows(IllegalStateException.class, ia::swapToAverage);
        w.setGrad(Tensor.of(new double[] {1, 1}, 2));
        ia.step();
        assertNull(ia.average(w));
        ia.collect();
        ia.step();
        ia.collect();
        assertEquals(2, ia.models());
        assertArrayEquals(new double[] {-0.5, -3.5}, ia.average(w).toDoubleArray());
        try (WeightSwap swap = ia.swapToAverage()) {
            assertArrayEquals(new double[] {-0.5, -3.5}, w.value().toDoubleArray());
            assertThrows(IllegalStateException.class, ia::step);
        }
        assertArrayEquals(new double[] {-1, -4}, w.value().toDoubleArray());
    }

    @Test
    void refusesAStateWithoutTheWrapperCounters() {
        Map<String, Variable> ps = params();
        AdamW inner = new AdamW(ps, 0.1);
        ps.get("w").setGrad(Tensor.of(new double[] {1, 1}, 2));
        inner.step();
        IterateAveraging ia = IterateAveraging.gadam(params(), 0.1, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ia.loadState(inner.stateTensors(), inner.stateScalars()));
        assertTrue(e.getMessage().contains("'averaging/steps'") && e.getMessage().contains("'averaging/models'"), e.getMessage());
    }

    @Test
    void rejectsBadStartAndFrequency() {
        assertThrows(IllegalArgumentException.class, () -> new IterateAveraging(new SGD(params(), 0.1), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new IterateAveraging(new SGD(params(), 0.1), 1, 0));
    }
}
