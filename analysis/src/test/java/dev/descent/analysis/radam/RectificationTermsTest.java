package dev.descent.analysis.radam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.optim.OfficialRAdam;
import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;
import dev.descent.optim.RAdam;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The closed forms against hand values, and against what the optimizers of dev.descent.optim actually do. */
class RectificationTermsTest {
    @Test
    void closedFormsMatchHandValues() {
        assertEquals(1999, RectificationTerms.rhoInfinity(0.999), 1e-9);
        assertEquals(39, RectificationTerms.rhoInfinity(0.95), 1e-12);
        // ρ_1 = 1 for every β2: ρ∞ − 2β2/(1−β2) = (2 − 2β2)/(1−β2) − 1
        assertEquals(1, RectificationTerms.rho(0.999, 1), 1e-9);
        assertEquals(1, RectificationTerms.rho(0.5, 1), 1e-12);
        // β2 = 0.5, t = 2: ρ∞ = 3, 2·2·0.25/0.75 = 4/3
        assertEquals(3 - 4.0 / 3, RectificationTerms.rho(0.5, 2), 1e-12);
        // spec/analysis.md §4: r_t at β2 = 0.999 is 0.049 (t = 10), 0.215 (100), 0.645 (1000), 0.983 (5000)
        assertEquals(0.049, RectificationTerms.rectification(0.999, 10), 5e-4);
        assertEquals(0.215, RectificationTerms.rectification(0.999, 100), 5e-4);
        assertEquals(0.645, RectificationTerms.rectification(0.999, 1000), 5e-4);
        assertEquals(0.983, RectificationTerms.rectification(0.999, 5000), 5e-4);
        assertTrue(Double.isNaN(RectificationTerms.rectification(0.999, 4)), "ρ_4 < 4: r undefined");
        // the §4 worked value: t = 100 gives the approximation 5.4e-3
        assertEquals(5.4e-3, RectificationTerms.approximateVariance(RectificationTerms.rho(0.999, 100), 1), 0.05e-3);
        assertEquals(5.4e-3 / 4, RectificationTerms.approximateVariance(RectificationTerms.rho(0.999, 100), 2), 0.05e-3);
        double flat = 1999.0 / (2 * 1997 * 1995);
        for (long t : new long[] {6, 50, 3000}) {
            assertEquals(flat, RectificationTerms.approximateRectifiedVariance(0.999, t, 1), 1e-12 * flat);
        }
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> RectificationTerms.rho(1.0, 5));
        assertThrows(IllegalArgumentException.class, () -> RectificationTerms.rho(0.9, 0));
        assertThrows(IllegalArgumentException.class, () -> RectificationTerms.rhoInfinity(Double.NaN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RectificationTerms.approximateVariance(10, 0));
        assertTrue(e.getMessage().contains("approximateVariance") && e.getMessage().contains("0.0"), e.getMessage());
    }

    /**
     * With β1 = 0, ε = 0, lr = 1 and a constant gradient 1, m̂ = 1 and v = 1 − β2^t, so the rectified step of both
     * RAdams moves θ by exactly −r_t, and the un-rectified torch step by −1: the step reveals the optimizer's r_t
     * and on which side of its threshold ρ_t lies.
     */
    @Test
    void agreesWithTorchRAdam() {
        for (double beta2 : new double[] {0.999, 0.98}) {
            Variable p = Variable.parameter(Tensor.of(new double[] {0.0}));
            Optimizer opt = new RAdam(List.of(new ParamGroup(Map.of("w", p),
                    Map.of("lr", 1.0, "beta1", 0.0, "beta2", beta2, "eps", 0.0))));
            for (long t = 1; t <= 1500; t++) {
                double before = p.value().item();
                p.setGrad(Tensor.of(new double[] {1.0}));
                opt.step();
                double moved = before - p.value().item();
                double rho = RectificationTerms.rho(beta2, t);
                if (rho > RAdam.TORCH_THRESHOLD) {
                    double r = RectificationTerms.rectification(beta2, t);
                    assertEquals(r, moved, 1e-12 * Math.max(1, Math.abs(before)), "beta2 " + beta2 + " t " + t);
                } else {
                    assertEquals(1, moved, 1e-12, "un-rectified step at beta2 " + beta2 + " t " + t);
                }
            }
        }
    }

    @Test
    void agreesWithOfficialRAdamIncludingItsRho() {
        double beta2 = 0.99;
        Variable p = Variable.parameter(Tensor.of(new double[] {0.0}));
        OfficialRAdam opt = new OfficialRAdam(List.of(new ParamGroup(Map.of("w", p),
                Map.of("lr", 1.0, "beta1", 0.0, "beta2", beta2, "eps", 0.0))));
        int rectifiedSteps = 0;
        for (long t = 1; t <= 400; t++) {
            double before = p.value().item();
            p.setGrad(Tensor.of(new double[] {1.0}));
            opt.step();
            double moved = before - p.value().item();
            // the official code caches (t, ρ_t, step size) in slot t mod 10 and saves it with its scalars
            Object rho = opt.stateScalars().get("step_size_cache.0." + (t % 10) + ".rho");
            assertEquals(RectificationTerms.rho(beta2, t), ((Number) rho).doubleValue(), 1e-12 * 200, "t " + t);
            if (RectificationTerms.rho(beta2, t) >= 5) {
                assertEquals(RectificationTerms.rectification(beta2, t), moved, 1e-12 * Math.max(1, Math.abs(before)));
                rectifiedSteps++;
            } else {
                assertEquals(0, moved, 0.0, "the official default skips the update below the threshold, t " + t);
            }
        }
        assertTrue(rectifiedSteps > 390, "rectified steps " + rectifiedSteps);
    }
}
