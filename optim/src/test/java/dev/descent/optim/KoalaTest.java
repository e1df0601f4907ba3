package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** KOALA-V and KOALA-M (spec/optimizers.md §10) against the reference of gen_wrapper_fixtures.py. */
class KoalaTest {
    @ParameterizedTest
    @ValueSource(strings = {"koala_v", "koala_v_fixed_r_decay", "koala_m", "koala_m_fixed_r_decay"})
    void matchesReferenceStepByStep(String fixture) {
        WrapperFixture.load(fixture).assertMatchesReference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"koala_v", "koala_v_fixed_r_decay", "koala_m", "koala_m_fixed_r_decay"})
    void resumesBitIdentically(String fixture) {
        WrapperFixture.load(fixture).assertResumesExactly();
    }

    private static Map<String, Variable> params() {
        return Map.of("w", Variable.parameter(Tensor.of(new double[] {1, -2}, 2)));
    }

    @Test
    void hasTheReferenceDefaults() {
        Koala.Vanilla v = new Koala.Vanilla(params());
        assertEquals(1.0, v.covariance());
        assertTrue(v.adaptiveR());
        assertEquals(1.0, v.measurementNoise());
        assertEquals(1.0, v.paramGroups().get(0).get("lr"));
        Koala.Momentum m = new Koala.Momentum(params());
        assertEquals(0.1, m.covariance(0, 0));
        assertEquals(0.0, m.covariance(0, 1));
        assertEquals(0.9, m.setting("a"));
        assertEquals(0.01, m.setting("qv"));
    }

    @Test
    void refusesThePlainStep() {
        Koala.Vanilla v = new Koala.Vanilla(params());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, v::step);
        assertTrue(e.getMessage().contains("predict()"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> v.step(() -> 1.0));
    }

    @Test
    void closureStepEqualsPredictThenUpdate() {
        Map<String, Variable> a = params();
        Map<String, Variable> b = params();
        Koala.Momentum x = new Koala.Momentum(a);
        Koala.Momentum y = new Koala.Momentum(b);
        for (int i = 0; i < 3; i++) {
            Tensor g = Tensor.of(new double[] {0.3 + i, -0.7}, 2);
            double loss = x.step(() -> {
                a.get("w").setGrad(g.clone());
                return new Koala.Loss(1.5, 2.5);
            });
            assertEquals(1.5, loss);
            y.predict();
            b.get("w").setGrad(g.clone());
            y.update(1.5, 2.5);
        }
        assertArrayEquals(b.get("w").value().toDoubleArray(), a.get("w").value().toDoubleArray());
    }

    @Test
    void targetLossShiftsTheMeasurement() {
        Map<String, Variable> a = params();
        Map<String, Variable> b = params();
        Koala.Vanilla x = new Koala.Vanilla(a);
        Koala.Vanilla y = new Koala.Vanilla(b);
        y.setTargetLoss(() -> 0.5);
        for (Map.Entry<Koala.Vanilla, Map<String, Variable>> e : Map.of(x, a, y, b).entrySet()) {
            e.getKey().predict();
            e.getValue().get("w").setGrad(Tensor.of(new double[] {1, 1}, 2));
        }
        x.update(1.0, 1.0);
        y.update(1.5, 1.0);
        assertArrayEquals(a.get("w").value().toDoubleArray(), b.get("w").value().toDoubleArray());
        assertNotEquals(1.0, a.get("w").value().toDoubleArray()[0]);
    }

    @Test
    void skipsLayersWithATinyGradientAndKeepsP() {
        Map<String, Variable> a = params();
        Koala.Vanilla v = new Koala.Vanilla(a);
        v.predict();
        a.get("w").setGrad(Tensor.of(new double[] {1e-12, 0}, 2));
        v.update(1.0, 1.0);
        assertArrayEquals(new double[] {1, -2}, a.get("w").value().toDoubleArray());
        assertEquals(2.0, v.covariance());
    }

    @Test
    void rejectsUnknownSettingsAndAMissingFilterState() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Koala.Vanilla(List.of(new ParamGroup(params())), Map.of("sw", 1.0)));
        assertTrue(e.getMessage().contains("unknown setting 'sw'"), e.getMessage());
        Koala.Momentum m = new Koala.Momentum(params());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> m.loadState(Map.of(), Map.of()));
        assertTrue(f.getMessage().contains("koala/P00") && f.getMessage().contains("koala/R"), f.getMessage());
    }
}
