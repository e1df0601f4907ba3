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

/** {@link DiffGrad} against the reference of gen_paper1_fixtures.py (spec/optimizers.md §7), resuming, defaults, validation. */
class Paper1DiffGradTest {
    @ParameterizedTest
    @ValueSource(strings = {"diffgrad_plain", "diffgrad_weight_decay", "diffgrad_paper_epsilon", "diffgrad_two_groups"})
    void matchesReferenceStepByStep(String fixture) {
        TorchFixture.load("paper1", fixture).assertMatchesReference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"diffgrad_plain", "diffgrad_weight_decay", "diffgrad_paper_epsilon", "diffgrad_two_groups"})
    void resumesBitIdentically(String fixture) {
        TorchFixture.load("paper1", fixture).assertResumesExactly();
    }

    @Test
    void hasOfficialDefaults() {
        assertEquals(Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0, "paper_epsilon", 0.0), DiffGrad.DEFAULTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lr=-0.1", "beta1=1.0", "beta2=-0.5", "eps=-1.0", "weight_decay=-1.0", "paper_epsilon=2.0"})
    void rejectsBadHyperparameterNamingIt(String keyAndValue) {
        String[] kv = keyAndValue.split("=");
        Map<String, Variable> params = Map.of("w", Variable.parameter(Tensor.zeros(2)));
        List<ParamGroup> groups = List.of(new ParamGroup(params, Map.of(kv[0], Double.parseDouble(kv[1]))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DiffGrad(groups));
        assertTrue(e.getMessage().startsWith("DiffGrad: ") && e.getMessage().contains(kv[0])
                && e.getMessage().contains(String.valueOf(Double.parseDouble(kv[1]))), e.getMessage());
    }
}
