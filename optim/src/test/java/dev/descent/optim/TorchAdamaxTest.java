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

/** {@link Adamax} against torch.optim.Adamax (PyTorch 1.13 fixtures), resuming, defaults and validation. */
class TorchAdamaxTest {
    @ParameterizedTest
    @ValueSource(strings = {"adamax_plain", "adamax_weight_decay", "adamax_maximize", "adamax_skip"})
    void matchesTorchStepByStep(String fixture) {
        TorchFixture.load(fixture).assertMatchesReference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"adamax_plain", "adamax_weight_decay", "adamax_maximize", "adamax_skip"})
    void resumesBitIdentically(String fixture) {
        TorchFixture.load(fixture).assertResumesExactly();
    }

    @Test
    void hasTorchDefaults() {
        assertEquals(Map.of("lr", 2e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0, "maximize", 0.0), Adamax.DEFAULTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lr=-0.1", "beta1=1.0", "beta2=1.5", "eps=-1.0", "weight_decay=-2.0", "maximize=0.5"})
    void rejectsBadHyperparameterNamingIt(String keyAndValue) {
        String[] kv = keyAndValue.split("=");
        Map<String, Variable> params = Map.of("w", Variable.parameter(Tensor.zeros(2)));
        List<ParamGroup> groups = List.of(new ParamGroup(params, Map.of(kv[0], Double.parseDouble(kv[1]))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adamax(groups));
        assertTrue(e.getMessage().startsWith("Adamax: ") && e.getMessage().contains(kv[0])
                && e.getMessage().contains(String.valueOf(Double.parseDouble(kv[1]))), e.getMessage());
    }
}
