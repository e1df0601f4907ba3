package dev.descent.optim;

import static dev.descent.optim.Paper2Fixture.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Adafactor} in both modes (spec §6) against the reference fixtures, resuming, defaults, validation. */
class Paper2AdafactorTest {
    @ParameterizedTest
    @ValueSource(strings = {"adafactor_hf_default", "adafactor_hf_warmup", "adafactor_hf_fixed_lr",
        "adafactor_hf_momentum_decay", "adafactor_hf_skip", "adafactor_torch_default", "adafactor_torch_options",
        "adafactor_torch_skip"})
    void matchesReferenceStepByStep(String fixture) {
        Paper2Fixture.load(fixture).assertMatchesReference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"adafactor_hf_default", "adafactor_hf_warmup", "adafactor_hf_fixed_lr",
        "adafactor_hf_momentum_decay", "adafactor_hf_skip", "adafactor_torch_default", "adafactor_torch_options",
        "adafactor_torch_skip"})
    void resumesBitIdentically(String fixture) {
        Paper2Fixture.load(fixture).assertResumesExactly();
    }

    @Test
    void hasReferenceDefaults() {
        Map<String, Variable> params = Map.of("w", Variable.parameter(Tensor.zeros(DType.FLOAT64, 2)));
        Map<String, Double> hf = new Adafactor(params).paramGroups().get(0).options();
        assertTrue(Double.isNaN(hf.get("lr")) && Double.isNaN(hf.get("beta1")));
        assertEquals(1e-30, hf.get("eps1"));
        assertEquals(1e-3, hf.get("eps2"));
        assertEquals(1.0, hf.get("clip_threshold"));
        assertEquals(-0.8, hf.get("decay_rate"));
        assertEquals(1.0, hf.get("scale_parameter"));
        assertEquals(1.0, hf.get("relative_step"));
        assertEquals(0.0, hf.get("warmup_init"));
        assertEquals(0.0, hf.get("weight_decay"));
        Map<String, Double> torch = new Adafactor(List.of(new ParamGroup(params)), Adafactor.Mode.TORCH)
                .paramGroups().get(0).options();
        assertEquals(1e-2, torch.get("lr"));
        assertEquals(-0.8, torch.get("beta2_decay"));
        assertTrue(Double.isNaN(torch.get("eps1")));
        assertEquals(1e-3, torch.get("eps2"));
        assertEquals(1.0, torch.get("d"));
    }

    @Test
    void rejectsBadHyperparametersNamingThem() {
        Function<List<ParamGroup>, Optimizer> hf = g -> new Adafactor(g, Adafactor.Mode.HF);
        Function<List<ParamGroup>, Optimizer> torch = g -> new Adafactor(g, Adafactor.Mode.TORCH);
        assertRejected("Adafactor", hf, "lr", 0.01, Map.of());
        assertRejected("Adafactor", hf, "lr", Double.NaN, Map.of("relative_step", 0.0));
        assertRejected("Adafactor", hf, "warmup_init", 1.0, Map.of("relative_step", 0.0, "lr", 0.1));
        assertRejected("Adafactor", hf, "clip_threshold", 0.0, Map.of());
        assertRejected("Adafactor", hf, "decay_rate", 0.5, Map.of());
        assertRejected("Adafactor", hf, "beta1", 1.5, Map.of());
        assertRejected("Adafactor", hf, "eps1", -1.0, Map.of());
        assertRejected("Adafactor", hf, "scale_parameter", 2.0, Map.of());
        assertRejected("Adafactor", torch, "lr", -1.0, Map.of());
        assertRejected("Adafactor", torch, "d", 0.5, Map.of());
        assertRejected("Adafactor", torch, "beta2_decay", 0.1, Map.of());
        assertRejected("Adafactor", torch, "eps1", -1.0, Map.of());
    }

    @Test
    void factorsTheLastTwoDimensionsOfHigherRankTensors() {
        for (Adafactor.Mode mode : Adafactor.Mode.values()) {
            Variable p = Variable.parameter(Tensor.ones(DType.FLOAT64, 2, 3, 4));
            Adafactor opt = new Adafactor(List.of(new ParamGroup(Map.of("k", p))), mode);
            p.setGrad(Tensor.full(DType.FLOAT64, 0.5, 2, 3, 4));
            opt.step();
            Map<String, Tensor> buffers = opt.stateTensors();
            String row = mode == Adafactor.Mode.HF ? "k.exp_avg_sq_row" : "k.row_var";
            String col = mode == Adafactor.Mode.HF ? "k.exp_avg_sq_col" : "k.col_var";
            int[] rowShape = mode == Adafactor.Mode.HF ? new int[] {2, 3} : new int[] {2, 3, 1};
            int[] colShape = mode == Adafactor.Mode.HF ? new int[] {2, 4} : new int[] {2, 1, 4};
            assertArrayEquals(rowShape, buffers.get(row).shape().toArray(), mode + " row statistic");
            assertArrayEquals(colShape, buffers.get(col).shape().toArray(), mode + " column statistic");
            // A constant gradient: the factored estimate is exact, the update is -alpha * sign = -0.01 each.
            for (double x : p.value().toDoubleArray()) {
                assertEquals(1 - 0.01, x, 1e-12, mode.toString());
            }
        }
    }
}
