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

/** {@link Adagrad} against torch.optim.Adagrad (PyTorch 1.13 fixtures), resuming, defaults and validation. */
class TorchAdagradTest {
    @ParameterizedTest
    @ValueSource(strings = {"adagrad_plain", "adagrad_lr_decay", "adagrad_initial_accumulator", "adagrad_maximize", "adagrad_skip"})
    void matchesTorchStepByStep(String fixture) {
        TorchFixture.load(fixture).assertMatchesReference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"adagrad_plain", "adagrad_lr_decay", "adagrad_initial_accumulator", "adagrad_maximize", "adagrad_skip"})
    void resumesBitIdentically(String fixture) {
        TorchFixture.load(fixture).assertResumesExactly();
    }

    @Test
    void hasTorchDefaults() {
        assertEquals(Map.of("lr", 1e-2, "lr_decay", 0.0, "weight_decay", 0.0, "initial_accumulator_value", 0.0, "eps", 1e-10, "maximize", 0.0), Adagrad.DEFAULTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lr=-0.1", "lr_decay=-0.5", "weight_decay=-2.0", "initial_accumulator_value=-1.0", "eps=-1.0"})
    void rejectsBadHyperparameterNamingIt(String keyAndValue) {
        String[] kv = keyAndValue.split("=");
        Map<String, Variable> params = Map.of("w", Variable.parameter(Tensor.zeros(2)));
        List<ParamGroup> groups = List.of(new ParamGroup(params, Map.of(kv[0], Double.parseDouble(kv[1]))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adagrad(groups));
        assertTrue(e.getMessage().startsWith("Adagrad: ") && e.getMessage().contains(kv[0])
                && e.getMessage().contains(String.valueOf(Double.parseDouble(kv[1]))), e.getMessage());
    }
}
