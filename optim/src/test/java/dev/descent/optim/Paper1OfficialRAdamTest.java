package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link OfficialRAdam} against the reference of gen_paper1_fixtures.py (spec/optimizers.md §2), resuming, defaults, validation. */
class Paper1OfficialRAdamTest {
    @ParameterizedTest
    @ValueSource(strings = {"oradam_plain", "oradam_no_cache", "oradam_degenerated", "oradam_paper", "oradam_beta2", "oradam_two_groups"})
    void matchesReferenceStepByStep(String fixture) {
        TorchFixture.load("paper1", fixture).assertMatchesReference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"oradam_plain", "oradam_no_cache", "oradam_degenerated", "oradam_paper", "oradam_beta2", "oradam_two_groups"})
    void resumesBitIdentically(String fixture) {
        TorchFixture.load("paper1", fixture).assertResumesExactly();
    }

    @Test
    void hasOfficialDefaults() {
        assertEquals(Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0, "degenerated_to_sgd", 0.0, "threshold", 5.0, "strict_threshold", 0.0, "step_size_cache", 1.0), OfficialRAdam.DEFAULTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lr=-0.1", "beta1=1.0", "beta2=1.5", "eps=-1.0", "weight_decay=-2.0", "degenerated_to_sgd=2.0", "strict_threshold=0.5", "step_size_cache=-1.0", "threshold=NaN"})
    void rejectsBadHyperparameterNamingIt(String keyAndValue) {
        String[] kv = keyAndValue.split("=");
        Map<String, Variable> params = Map.of("w", Variable.parameter(Tensor.zeros(2)));
        List<ParamGroup> groups = List.of(new ParamGroup(params, Map.of(kv[0], Double.parseDouble(kv[1]))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OfficialRAdam(groups));
        assertTrue(e.getMessage().startsWith("OfficialRAdam: ") && e.getMessage().contains(kv[0])
                && e.getMessage().contains(String.valueOf(Double.parseDouble(kv[1]))), e.getMessage());
    }

    @Test
    void stepSizeCacheIsStaleAfterABetaChangeAsTheOfficialCode() {
        ParamGroup g = new ParamGroup(Map.of("w", Variable.parameter(Tensor.zeros(2))));
        new OfficialRAdam(List.of(g));
        Rectification rectification = new Rectification();
        Rectification.Entry first = rectification.at(g, 7, 5, false);
        g.set("beta2", 0.99);
        assertEquals(first, rectification.at(g, 7, 5, false));
        assertEquals(Rectification.compute(8, 0.9, 0.99, false, 5, false), rectification.at(g, 8, 5, false));
        g.set("step_size_cache", 0);
        assertEquals(Rectification.compute(7, 0.9, 0.99, false, 5, false), rectification.at(g, 7, 5, false));
        assertTrue(first.rho() != Rectification.compute(7, 0.9, 0.99, false, 5, false).rho());
    }

    @Test
    void thresholdsMatchTheSpecTable() {
        assertTrue(Rectification.compute(5, 0.9, 0.999, false, 5, false).stepSize() < 0);
        assertTrue(Rectification.compute(6, 0.9, 0.999, false, 5, false).stepSize() > 0);
        assertTrue(Rectification.compute(5, 0.9, 0.999, false, 4, true).stepSize() > 0);
        assertTrue(Rectification.compute(4, 0.9, 0.999, false, 4, true).stepSize() < 0);
        assertEquals(1 / (1 - Math.pow(0.9, 3)), Rectification.compute(3, 0.9, 0.999, true, 5, false).stepSize());
    }
}
