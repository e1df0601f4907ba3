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

/** {@link ACProp} against the reference of gen_paper1_fixtures.py (spec/optimizers.md §5), resuming, defaults, validation. */
class Paper1ACPropTest {
    @ParameterizedTest
    @ValueSource(strings = {"acprop_plain", "acprop_momentum", "acprop_code_defaults", "acprop_rectify_momentum", "acprop_rectify_g", "acprop_amsgrad", "acprop_l2", "acprop_fixed_decay", "acprop_two_groups"})
    void matchesReferenceStepByStep(String fixture) {
        TorchFixture.load("paper1", fixture).assertMatchesReference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"acprop_plain", "acprop_momentum", "acprop_code_defaults", "acprop_rectify_momentum", "acprop_rectify_g", "acprop_amsgrad", "acprop_l2", "acprop_fixed_decay", "acprop_two_groups"})
    void resumesBitIdentically(String fixture) {
        TorchFixture.load("paper1", fixture).assertResumesExactly();
    }

    @Test
    void hasOfficialDefaults() {
        assertEquals(Map.ofEntries(Map.entry("lr", 1e-3), Map.entry("beta1", 0.9), Map.entry("beta2", 0.999), Map.entry("eps", 1e-16), Map.entry("weight_decay", 0.0), Map.entry("amsgrad", 0.0), Map.entry("weight_decouple", 0.0), Map.entry("fixed_decay", 0.0), Map.entry("rectify", 0.0), Map.entry("degenerated_to_sgd", 1.0), Map.entry("momentum_update", 0.0), Map.entry("step_size_cache", 1.0)), ACProp.DEFAULTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lr=-0.1", "beta1=1.0", "beta2=1.5", "eps=-1.0", "weight_decay=-1.0", "amsgrad=2.0", "momentum_update=0.5", "rectify=2.0"})
    void rejectsBadHyperparameterNamingIt(String keyAndValue) {
        String[] kv = keyAndValue.split("=");
        Map<String, Variable> params = Map.of("w", Variable.parameter(Tensor.zeros(2)));
        List<ParamGroup> groups = List.of(new ParamGroup(params, Map.of(kv[0], Double.parseDouble(kv[1]))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ACProp(groups));
        assertTrue(e.getMessage().startsWith("ACProp: ") && e.getMessage().contains(kv[0])
                && e.getMessage().contains(String.valueOf(Double.parseDouble(kv[1]))), e.getMessage());
    }
}
