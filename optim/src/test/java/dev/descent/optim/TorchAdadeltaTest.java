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

/** {@link Adadelta} against torch.optim.Adadelta (PyTorch 1.13 fixtures), resuming, defaults and validation. */
class TorchAdadeltaTest {
    @ParameterizedTest
    @ValueSource(strings = {"adadelta_plain", "adadelta_weight_decay", "adadelta_maximize"})
    void matchesTorchStepByStep(String fixture) {
        TorchFixture.load(fixture).assertMatchesReference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"adadelta_plain", "adadelta_weight_decay", "adadelta_maximize"})
    void resumesBitIdentically(String fixture) {
        TorchFixture.load(fixture).assertResumesExactly();
    }

    @Test
    void hasTorchDefaults() {
        assertEquals(Map.of("lr", 1.0, "rho", 0.9, "eps", 1e-6, "weight_decay", 0.0, "maximize", 0.0), Adadelta.DEFAULTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lr=-0.1", "rho=1.5", "rho=-0.5", "eps=-1.0", "weight_decay=-2.0"})
    void rejectsBadHyperparameterNamingIt(String keyAndValue) {
        String[] kv = keyAndValue.split("=");
        Map<String, Variable> params = Map.of("w", Variable.parameter(Tensor.zeros(2)));
        List<ParamGroup> groups = List.of(new ParamGroup(params, Map.of(kv[0], Double.parseDouble(kv[1]))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adadelta(groups));
        assertTrue(e.getMessage().startsWith("Adadelta: ") && e.getMessage().contains(kv[0])
                && e.getMessage().contains(String.valueOf(Double.parseDouble(kv[1]))), e.getMessage());
    }
}
