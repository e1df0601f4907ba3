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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link LARS} (You et al. 2017) and {@link LAMB} (You et al. 2019) against the fixtures, resuming, defaults. */
class Paper2LarsLambTest {
    @ParameterizedTest
    @ValueSource(strings = {"lars_default", "lars_decay", "lars_no_momentum", "lars_excluded_skip", "lamb_default",
        "lamb_decay", "lamb_clipped_no_bias_correction", "lamb_skip"})
    void matchesReferenceStepByStep(String fixture) {
        Paper2Fixture.load(fixture).assertMatchesReference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lars_default", "lars_decay", "lars_no_momentum", "lars_excluded_skip", "lamb_default",
        "lamb_decay", "lamb_clipped_no_bias_correction", "lamb_skip"})
    void resumesBitIdentically(String fixture) {
        Paper2Fixture.load(fixture).assertResumesExactly();
    }

    @Test
    void hasTheDocumentedDefaults() {
        assertTrue(Double.isNaN(LARS.DEFAULTS.get("lr")));
        assertEquals(0.9, LARS.DEFAULTS.get("momentum"));
        assertEquals(1e-3, LARS.DEFAULTS.get("trust_coefficient"));
        assertEquals(1.0, LARS.DEFAULTS.get("adapt"));
        assertEquals(Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-6, "weight_decay", 0.0,
                "bias_correction", 1.0, "phi_lower", 0.0, "phi_upper", Double.POSITIVE_INFINITY), LAMB.DEFAULTS);
    }

    @Test
    void rejectsBadHyperparametersNamingThem() {
        assertRejected("LARS", LARS::new, "lr", Double.NaN, Map.of());
        assertRejected("LARS", LARS::new, "momentum", 1.0, Map.of("lr", 0.1));
        assertRejected("LARS", LARS::new, "trust_coefficient", -1.0, Map.of("lr", 0.1));
        assertRejected("LAMB", LAMB::new, "beta1", 1.0, Map.of());
        assertRejected("LAMB", LAMB::new, "phi_upper", 0.5, Map.of("phi_lower", 1.0));
        assertRejected("LAMB", LAMB::new, "bias_correction", 2.0, Map.of());
    }

    @Test
    void zeroWeightsTakeATrustRatioOfOne() {
        Variable w = Variable.parameter(Tensor.zeros(DType.FLOAT64, 2));
        LAMB opt = new LAMB(Map.of("w", w), 0.1);
        w.setGrad(Tensor.of(new double[] {1.0, -1.0}, 2));
        opt.step();
        double expected = -0.1 * 1.0 / (1.0 + 1e-6);
        assertArrayEquals(new double[] {expected, -expected}, w.value().toDoubleArray(), 1e-15);
    }
}
