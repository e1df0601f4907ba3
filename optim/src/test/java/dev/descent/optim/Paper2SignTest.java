package dev.descent.optim;

import static dev.descent.optim.Paper2Fixture.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SignSGD}, {@link Signum}, {@link GeneralizedSignSGD} (spec §11) against the fixtures, resuming, defaults. */
class Paper2SignTest {
    @ParameterizedTest
    @ValueSource(strings = {"signsgd_default", "signsgd_decay", "signsgd_l2", "signum_default", "signum_l2_skip",
        "gsignsgd_default", "gsignsgd_bias_correction", "gsignsgd_skip"})
    void matchesReferenceStepByStep(String fixture) {
        Paper2Fixture.load(fixture).assertMatchesReference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"signsgd_default", "signsgd_decay", "signsgd_l2", "signum_default", "signum_l2_skip",
        "gsignsgd_default", "gsignsgd_bias_correction", "gsignsgd_skip"})
    void resumesBitIdentically(String fixture) {
        Paper2Fixture.load(fixture).assertResumesExactly();
    }

    @Test
    void hasTheReferenceDefaults() {
        assertEquals(Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.0,
                "use_bias_correction", 0.0), GeneralizedSignSGD.DEFAULTS);
        assertEquals(0.9, Signum.DEFAULTS.get("beta"));
        assertEquals(1e-3, SignSGD.DEFAULTS.get("lr"));
    }

    @Test
    void rejectsBadHyperparametersNamingThem() {
        assertRejected("SignSGD", SignSGD::new, "lr", -1.0, Map.of());
        assertRejected("SignSGD", SignSGD::new, "decoupled", 0.5, Map.of());
        assertRejected("Signum", Signum::new, "beta", 1.0, Map.of());
        assertRejected("GeneralizedSignSGD", GeneralizedSignSGD::new, "beta2", -0.1, Map.of());
        assertRejected("GeneralizedSignSGD", GeneralizedSignSGD::new, "weight_decay", -0.1, Map.of());
    }

    @Test
    void generalizedSignSgdReducesToSignumAndSignSgd() {
        double[][] grads = {{0.3, -2.0, 0.4, 1e-3}, {-0.5, 1.0, -0.3, 2.0}, {0.2, 0.1, -0.7, -1.0}};
        Variable a = Variable.parameter(Tensor.of(new double[] {1, 2, 3, 4}, 4));
        Variable b = Variable.parameter(Tensor.of(new double[] {1, 2, 3, 4}, 4));
        Variable c = Variable.parameter(Tensor.of(new double[] {1, 2, 3, 4}, 4));
        Variable d = Variable.parameter(Tensor.of(new double[] {1, 2, 3, 4}, 4));
        Optimizer general = new GeneralizedSignSGD(List.of(new ParamGroup(Map.of("p", a),
                Map.of("lr", 0.1, "beta2", 0.0, "eps", 0.0))));
        Optimizer signum = new Signum(List.of(new ParamGroup(Map.of("p", b), Map.of("lr", 0.1))));
        Optimizer plain = new GeneralizedSignSGD(List.of(new ParamGroup(Map.of("p", c),
                Map.of("lr", 0.1, "beta1", 0.0, "beta2", 0.0, "eps", 1e-300))));
        Optimizer sign = new SignSGD(Map.of("p", d), 0.1);
        for (double[] g : grads) {
            for (Variable v : List.of(a, b, c, d)) {
                v.setGrad(Tensor.of(g.clone(), 4));
            }
            general.step();
            signum.step();
            plain.step();
            sign.step();
        }
        assertArrayEquals(b.value().toDoubleArray(), a.value().toDoubleArray(), 1e-12);
        assertArrayEquals(d.value().toDoubleArray(), c.value().toDoubleArray(), 1e-12);
    }
}
