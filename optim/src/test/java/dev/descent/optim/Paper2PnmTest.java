package dev.descent.optim;

import static dev.descent.optim.Paper2Fixture.assertRejected;
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

/** {@link PNM} and {@link AdaPNM} (spec §9) against the reference fixtures, resuming, defaults, validation. */
class Paper2PnmTest {
    @ParameterizedTest
    @ValueSource(strings = {"pnm_default", "pnm_l2", "pnm_decoupled_skip", "adapnm_default", "adapnm_no_amsgrad_l2",
        "adapnm_skip"})
    void matchesReferenceStepByStep(String fixture) {
        Paper2Fixture.load(fixture).assertMatchesReference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pnm_default", "pnm_l2", "pnm_decoupled_skip", "adapnm_default", "adapnm_no_amsgrad_l2",
        "adapnm_skip"})
    void resumesBitIdentically(String fixture) {
        Paper2Fixture.load(fixture).assertResumesExactly();
    }

    @Test
    void hasTheOfficialDefaults() {
        assertEquals(0.9, PNM.DEFAULTS.get("beta1"));
        assertEquals(1.0, PNM.DEFAULTS.get("beta0"));
        assertEquals(1.0, PNM.DEFAULTS.get("decoupled"));
        assertTrue(Double.isNaN(PNM.DEFAULTS.get("lr")));
        assertEquals(Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "beta0", 1.0, "eps", 1e-8, "weight_decay", 0.0,
                "amsgrad", 1.0, "decoupled", 1.0), AdaPNM.DEFAULTS);
    }

    @Test
    void rejectsBadHyperparametersNamingThem() {
        Function<List<ParamGroup>, Optimizer> pnm = PNM::new;
        Function<List<ParamGroup>, Optimizer> adapnm = AdaPNM::new;
        assertRejected("PNM", pnm, "lr", Double.NaN, Map.of());
        assertRejected("PNM", pnm, "lr", -1.0, Map.of());
        assertRejected("PNM", pnm, "beta1", 1.0, Map.of("lr", 0.1));
        assertRejected("PNM", pnm, "beta0", -1.0, Map.of("lr", 0.1));
        assertRejected("AdaPNM", adapnm, "beta2", 1.5, Map.of());
        assertRejected("AdaPNM", adapnm, "eps", -1.0, Map.of());
        assertRejected("AdaPNM", adapnm, "amsgrad", 3.0, Map.of());
    }

    @Test
    void alternatesTheTwoBuffers() {
        Variable w = Variable.parameter(Tensor.zeros(DType.FLOAT64, 1));
        PNM opt = new PNM(Map.of("w", w), 1.0);
        w.setGrad(Tensor.ones(DType.FLOAT64, 1));
        opt.step();
        assertEquals(1 - 0.81, opt.state(w).buffer("pos_momentum").item(), 1e-15);
        assertEquals(0.0, opt.state(w).buffer("neg_momentum").item());
        opt.step();
        assertEquals(1 - 0.81, opt.state(w).buffer("pos_momentum").item(), 1e-15);
        assertEquals(1 - 0.81, opt.state(w).buffer("neg_momentum").item(), 1e-15);
    }
}
