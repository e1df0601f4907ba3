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

/** {@link AdaBelief} against the reference of gen_paper1_fixtures.py (spec/optimizers.md §4), resuming, defaults, validation. */
class Paper1AdaBeliefTest {
    @ParameterizedTest
    @ValueSource(strings = {"adabelief_default", "adabelief_v005", "adabelief_large_eps", "adabelief_amsgrad", "adabelief_amsgrad_rectify", "adabelief_fixed_decay", "adabelief_l2", "adabelief_no_sgd", "adabelief_two_groups"})
    void matchesReferenceStepByStep(String fixture) {
        TorchFixture.load("paper1", fixture).assertMatchesReference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"adabelief_default", "adabelief_v005", "adabelief_large_eps", "adabelief_amsgrad", "adabelief_amsgrad_rectify", "adabelief_fixed_decay", "adabelief_l2", "adabelief_no_sgd", "adabelief_two_groups"})
    void resumesBitIdentically(String fixture) {
        TorchFixture.load("paper1", fixture).assertResumesExactly();
    }

    @Test
    void hasOfficialDefaults() {
        assertEquals(Map.ofEntries(Map.entry("lr", 1e-3), Map.entry("beta1", 0.9), Map.entry("beta2", 0.999), Map.entry("eps", 1e-16), Map.entry("weight_decay", 0.0), Map.entry("amsgrad", 0.0), Map.entry("weight_decouple", 1.0), Map.entry("fixed_decay", 0.0), Map.entry("rectify", 1.0), Map.entry("degenerated_to_sgd", 1.0), Map.entry("step_size_cache", 1.0)), AdaBelief.DEFAULTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lr=-0.1", "beta1=1.0", "beta2=-0.5", "eps=-1.0", "weight_decay=-1.0", "amsgrad=2.0", "weight_decouple=0.5", "fixed_decay=3.0", "rectify=-1.0", "degenerated_to_sgd=2.0"})
    void rejectsBadHyperparameterNamingIt(String keyAndValue) {
        String[] kv = keyAndValue.split("=");
        Map<String, Variable> params = Map.of("w", Variable.parameter(Tensor.zeros(2)));
        List<ParamGroup> groups = List.of(new ParamGroup(params, Map.of(kv[0], Double.parseDouble(kv[1]))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AdaBelief(groups));
        assertTrue(e.getMessage().startsWith("AdaBelief: ") && e.getMessage().contains(kv[0])
                && e.getMessage().contains(String.valueOf(Double.parseDouble(kv[1]))), e.getMessage());
    }

    @Test
    void l2DecayLeavesTheCallersGradientUnchanged() {
        Variable w = Variable.parameter(Tensor.of(new double[] {1, -2}, 2));
        AdaBelief opt = new AdaBelief(List.of(new ParamGroup(Map.of("w", w), Map.of("weight_decouple", 0.0,
                "weight_decay", 0.5))));
        w.setGrad(Tensor.of(new double[] {0.25, 0.5}, 2));
        opt.step();
        assertEquals(List.of(0.25, 0.5), List.of(w.grad().toDoubleArray()[0], w.grad().toDoubleArray()[1]));
    }
}
