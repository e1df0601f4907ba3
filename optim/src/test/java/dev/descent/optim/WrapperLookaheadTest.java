package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Lookahead} (spec/optimizers.md §3) against the reference of gen_wrapper_fixtures.py, resuming, swaps. */
class WrapperLookaheadTest {
    @ParameterizedTest
    @ValueSource(strings = {"lookahead_sgd_none", "lookahead_sgd_reset", "lookahead_sgd_pullback",
            "lookahead_sgd_pullback_copy", "lookahead_adam"})
    void matchesReferenceStepByStep(String fixture) {
        WrapperFixture.load(fixture).assertMatchesReference();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lookahead_sgd_none", "lookahead_sgd_reset", "lookahead_sgd_pullback",
            "lookahead_sgd_pullback_copy", "lookahead_adam"})
    void resumesBitIdenticallyWithSlowWeights(String fixture) {
        WrapperFixture.load(fixture).assertResumesExactly();
    }

    private static Map<String, Variable> params() {
        Map<String, Variable> ps = new LinkedHashMap<>();
        ps.put("w", Variable.parameter(Tensor.of(new double[] {1, -2, 3}, 3)));
        return ps;
    }

    @Test
    void hasOfficialDefaults() {
        Lookahead la = new Lookahead(new SGD(params(), 0.1));
        assertEquals(5, la.k());
        assertEquals(0.8, la.alpha());
        assertEquals(Lookahead.Pullback.NONE, la.pullback());
        assertEquals("Lookahead(SGD)", la.name());
    }

    @Test
    void sharesParamGroupsWithTheInnerOptimizer() {
        SGD sgd = new SGD(params(), 0.1);
        Lookahead la = new Lookahead(sgd);
        la.paramGroups().get(0).set("lr", 0.01);
        assertEquals(0.01, sgd.paramGroups().get(0).get("lr"));
    }

    @Test
    void swapsSlowWeightsInAndOutAndRefusesToStepMeanwhile() {
        Map<String, Variable> ps = params();
        Variable w = ps.get("w");
        Lookahead la = new Lookahead(new SGD(ps, 0.1), 3, 0.5, Lookahead.Pullback.NONE);
        w.setGrad(Tensor.of(new double[] {1, 1, 1}, 3));
        la.step();
        double[] fast = w.value().toDoubleArray();
        try (WeightSwap swap = la.swapToSlow()) {
            assertArrayEquals(new double[] {1, -2, 3}, w.value().toDoubleArray());
            assertThrows(IllegalStateException.class, la::step);
            assertThrows(IllegalStateException.class, la::swapToSlow);
            assertTrue(swap.isOpen());
        }
        assertArrayEquals(fast, w.value().toDoubleArray());
        la.step();
    }

    @Test
    void refusesAStateWithoutSlowWeights() {
        Map<String, Variable> ps = params();
        SGD sgd = new SGD(ps, 0.1, 0.9);
        ps.get("w").setGrad(Tensor.of(new double[] {1, 1, 1}, 3));
        sgd.step();
        Lookahead la = new Lookahead(new SGD(params(), 0.1, 0.9));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> la.loadState(sgd.stateTensors(), sgd.stateScalars()));
        assertTrue(e.getMessage().contains("no slow weights for 'w'") && e.getMessage().contains("lookahead"),
                e.getMessage());
    }

    @Test
    void refusesAStateOfAnotherPullbackMode() {
        Lookahead a = new Lookahead(new SGD(params(), 0.1, 0.9), 2, 0.5, Lookahead.Pullback.RESET);
        Lookahead b = new Lookahead(new SGD(params(), 0.1, 0.9), 2, 0.5, Lookahead.Pullback.NONE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.loadState(a.stateTensors(), a.stateScalars()));
        assertTrue(e.getMessage().contains("RESET"), e.getMessage());
    }

    @Test
    void pullbackNeedsAMomentumBuffer() {
        Map<String, Variable> ps = params();
        Lookahead la = new Lookahead(new Adam(ps, 0.1), 1, 0.5, Lookahead.Pullback.PULLBACK);
        ps.get("w").setGrad(Tensor.of(new double[] {1, 1, 1}, 3));
        IllegalStateException e = assertThrows(IllegalStateException.class, la::step);
        assertTrue(e.getMessage().contains("momentum_buffer"), e.getMessage());
        Map<String, Variable> qs = params();
        Lookahead onExpAvg = new Lookahead(new Adam(qs, 0.1), 1, 0.5, Lookahead.Pullback.PULLBACK, "exp_avg");
        qs.get("w").setGrad(Tensor.of(new double[] {1, 1, 1}, 3));
        onExpAvg.step();
    }

    @Test
    void rejectsBadKAndAlpha() {
        assertThrows(IllegalArgumentException.class, () -> new Lookahead(new SGD(params(), 0.1), 0, 0.5, Lookahead.Pullback.NONE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Lookahead(new SGD(params(), 0.1), 5, 1.5, Lookahead.Pullback.NONE));
        assertTrue(e.getMessage().contains("alpha 1.5"), e.getMessage());
    }

    @Test
    void nestsAroundIterateAveragingAndResumesExactly() {
        int steps = 12;
        Tensor[] grads = new Tensor[steps];
        for (int i = 0; i < steps; i++) {
            grads[i] = Tensor.of(new double[] {Math.sin(i + 1), Math.cos(3 * i), 0.5 - i % 3}, 3);
        }
        Map<String, Variable> a = params();
        Lookahead straight = new Lookahead(IterateAveraging.gadam(a, 0.05, 3, 2), 4, 0.6, Lookahead.Pullback.NONE);
        for (int i = 0; i < steps; i++) {
            a.get("w").setGrad(grads[i].clone());
            straight.step();
        }
        Map<String, Variable> b = params();
        Lookahead first = new Lookahead(IterateAveraging.gadam(b, 0.05, 3, 2), 4, 0.6, Lookahead.Pullback.NONE);
        for (int i = 0; i < WrapperFixture.SAVE_AT; i++) {
            b.get("w").setGrad(grads[i].clone());
            first.step();
        }
        assertTrue(first.stateTensors().containsKey("averaging/w.mean"));
        assertTrue(first.stateTensors().containsKey("lookahead/w.slow"));
        Map<String, Variable> c = Map.of("w", Variable.parameter(b.get("w").value().clone()));
        Lookahead resumed = new Lookahead(IterateAveraging.gadam(c, 0.05, 3, 2), 4, 0.6, Lookahead.Pullback.NONE);
        resumed.loadState(first.stateTensors(), first.stateScalars());
        for (int i = WrapperFixture.SAVE_AT; i < steps; i++) {
            c.get("w").setGrad(grads[i].clone());
            resumed.step();
        }
        assertArrayEquals(a.get("w").value().toDoubleArray(), c.get("w").value().toDoubleArray());
        IterateAveraging ia = (IterateAveraging) resumed.inner();
        assertArrayEquals(((IterateAveraging) straight.inner()).average(a.get("w")).toDoubleArray(),
                ia.average(c.get("w")).toDoubleArray());
        assertEquals(straight.stateScalars(), resumed.stateScalars());
        assertFalse(resumed.stateScalars().isEmpty());
    }
}
