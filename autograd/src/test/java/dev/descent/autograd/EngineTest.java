package dev.descent.autograd;

import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backward engine: accumulation, graph lifetime, grad(), scopes, hooks, in-place detection, anomalies. */
class EngineTest {
    private static Variable param(double... values) {
        return Variable.parameter(Tensor.of(values));
    }

    private static void assertValues(double[] expected, Tensor actual) {
        assertArrayEquals(expected, actual.cast(DType.FLOAT64).toDoubleArray(), 1e-12);
    }

    private static void assertMessage(Throwable t, String... parts) {
        for (String p : parts) {
            assertTrue(t.getMessage().contains(p), "message '" + t.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void backwardAccumulatesIntoLeavesAcrossCalls() {
        Variable x = param(1, 2, 3);
        x.mul(x).sum().backward();
        assertValues(new double[] {2, 4, 6}, x.grad());
        x.mul(3).sum().backward();
        assertValues(new double[] {5, 7, 9}, x.grad());
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void everyPathIntoAValueIsSummed() {
        // y = x*x + x + exp(x) uses x four times
        Variable x = param(0.5, -1);
        x.mul(x).add(x).add(x.exp()).sum().backward();
        double[] v = {0.5, -1};
        assertValues(new double[] {2 * v[0] + 1 + Math.exp(v[0]), 2 * v[1] + 1 + Math.exp(v[1])}, x.grad());
    }

    @Test
    void broadcastGradientsAreSummedToEachInputsShape() {
        Variable a = Variable.parameter(Tensor.of(new double[] {1, 2, 3}, 3, 1));
        Variable b = Variable.parameter(Tensor.of(10.0, 20, 30, 40));
        a.mul(b).sum().backward();
        assertEquals(a.shape(), a.grad().shape());
        assertEquals(b.shape(), b.grad().shape());
        assertValues(new double[] {100, 100, 100}, a.grad());
        assertValues(new double[] {6, 6, 6, 6}, b.grad());
    }

    @Test
    void theGraphIsFreedAfterBackwardUnlessRetained() {
        Variable x = param(1, 2);
        Variable y = x.exp().sum();
        y.backward(null, true);
        y.backward();
        assertValues(new double[] {2 * Math.E, 2 * Math.exp(2)}, x.grad());
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertMessage(e, "already freed", "retainGraph");
    }

    @Test
    void gradReturnsNewValuesAndLeavesDotGradAlone() {
        Variable x = param(1, 2);
        Variable g = Autograd.grad(x.square().sum(), x);
        assertValues(new double[] {2, 4}, g.value());
        assertNull(x.grad());
        assertFalse(g.requiresGrad(), "without createGraph the gradient carries no graph");
    }

    @Test
    void createGraphGivesDifferentiableGradients() {
        Variable x = param(1.5, -2);
        Variable y = x.pow(3).sum();
        Variable g = Autograd.grad(y, List.of(x), true).get(0); // 3x^2
        assertTrue(g.requiresGrad());
        Variable h = Autograd.grad(g.sum(), List.of(x), true).get(0); // 6x
        Variable t = Autograd.grad(h.sum(), x); // 6
        assertValues(new double[] {6.75, 12}, g.value());
        assertValues(new double[] {9, -12}, h.value());
        assertValues(new double[] {6, 6}, t.value());
    }

    @Test
    void gradWithRespectToAnIntermediateValue() {
        Variable x = param(2, 3);
        Variable h = x.mul(x);
        Variable y = h.mul(h).sum();
        Variable gh = Autograd.grad(y, h);
        assertValues(new double[] {8, 18}, gh.value()); // 2h
    }

    @Test
    void unusedInputsFailUnlessAllowed() {
        Variable x = param(1);
        Variable unused = param(2);
        Variable y = x.mul(2).sum();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(List.of(y), List.of(x, unused), null, true, false, false));
        assertMessage(e, "input 1", "not used", "allowUnused");
        List<Variable> g = Autograd.grad(List.of(y), List.of(x, unused), null, false, false, true);
        assertValues(new double[] {2}, g.get(0).value());
        assertNull(g.get(1));
    }

    @Test
    void nonScalarOutputsNeedAnExplicitGradient() {
        Variable x = param(1, 2, 3);
        Variable y = x.mul(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertMessage(e, "[3]", "gradOutputs");
        y.backward(Tensor.of(1.0, 0, -1));
        assertValues(new double[] {2, 0, -2}, x.grad());
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> x.mul(2).backward(Tensor.of(1.0, 2)));
        assertMessage(wrong, "[2]", "[3]");
    }

    @Test
    void backwardOfAValueThatNeedsNoGradientFails() {
        Variable c = Variable.constant(Tensor.of(1.0, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.sum().backward());
        assertMessage(e, "does not require a gradient");
    }

    @Test
    void noGradScopesRecordNothingAndNest() {
        Variable x = param(1, 2);
        try (Autograd.Scope outer = Autograd.noGrad()) {
            Variable y = x.mul(2);
            assertFalse(y.requiresGrad());
            assertNull(y.opName());
            try (Autograd.Scope inner = Autograd.enableGrad()) {
                assertTrue(x.mul(2).requiresGrad());
            }
            assertFalse(Autograd.isGradEnabled());
        }
        assertTrue(Autograd.isGradEnabled());
        assertEquals("mul", x.mul(2).opName());
    }

    @Test
    void detachCutsTheGraphAndSharesTheTensor() {
        Variable x = param(3);
        Variable d = x.mul(2).detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.isLeaf());
        x.mul(d).sum().backward();
        assertValues(new double[] {6}, x.grad()); // d is a constant 6
        assertTrue(x.detach().value() == x.value());
    }

    @Test
    void requiresGradIsForFloatingPointLeavesOnly() {
        Variable y = param(1).mul(2);
        assertMessage(assertThrows(IllegalStateException.class, () -> y.requiresGrad(false)), "only leaves", "mul");
        Variable i = Variable.constant(Tensor.of(1L, 2L));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> i.requiresGrad(true)), "INT64", "[2]");
    }

    @Test
    void gradientHooksReadAndReplace() {
        Variable x = param(1, 2);
        Variable h = x.mul(3);
        List<double[]> seen = new ArrayList<>();
        h.registerHook(g -> {
            seen.add(g.value().toDoubleArray());
            return null;
        });
        HookHandle doubling = h.registerHook(g -> g.mul(2));
        h.square().sum().backward(null, true);
        assertArrayEquals(new double[] {6, 12}, seen.get(0)); // 2h, before the replacement
        assertValues(new double[] {36, 72}, x.grad()); // 3 * 2 * 2h
        doubling.remove();
        x.zeroGrad();
        h.square().sum().backward();
        assertValues(new double[] {18, 36}, x.grad());
    }

    @Test
    void postAccumulateHooksSeeTheAccumulatedGradient() {
        Variable x = param(1, 2);
        List<double[]> seen = new ArrayList<>();
        x.registerPostAccumulateGradHook(v -> seen.add(v.grad().toDoubleArray()));
        x.mul(4).sum().backward();
        x.mul(1).sum().backward();
        assertArrayEquals(new double[] {4, 4}, seen.get(0));
        assertArrayEquals(new double[] {5, 5}, seen.get(1));
        assertThrows(IllegalStateException.class, () -> x.mul(1).registerPostAccumulateGradHook(v -> { }));
    }

    @Test
    void anInPlaceChangeToASavedValueIsReported() {
        Variable x = param(1, 2);
        Variable w = param(3, 4);
        Variable y = x.mul(w).sum();
        w.value().mul_(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertMessage(e, "'mul'", "modified in place", "[2]");
    }

    @Test
    void anInPlaceChangeToAnUnsavedValueIsHarmless() {
        Variable x = param(1, 2);
        Variable y = x.add(1).sum(); // add saves nothing
        x.value().mul_(5);
        y.backward();
        assertValues(new double[] {1, 1}, x.grad());
    }

    @Test
    void anomalyModeNamesTheForwardOperation() {
        Variable x = param(0, 1);
        try (Autograd.Scope anomaly = Autograd.detectAnomaly()) {
            Variable y = x.sqrt().sum();
            IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
            assertMessage(e, "anomaly", "'sqrt'", "input 0");
            assertTrue(e.getCause().getMessage().contains("sqrt"), "the cause is the forward's stack");
        }
        // off by default: the infinity simply flows
        Variable y = x.sqrt().sum();
        y.backward();
        assertTrue(Double.isInfinite(x.grad().getDouble(0)));
    }

    @Test
    void longChainsDoNotOverflowTheStack() {
        Variable x = param(1);
        Variable y = x;
        for (int i = 0; i < 20_000; i++) {
            y = y.mul(1.0001);
        }
        y.sum().backward();
        assertEquals(Math.pow(1.0001, 20_000), x.grad().getDouble(0), 1e-9);
    }

    @Test
    void outputsThatAreLeavesGetTheirSeed() {
        Variable x = param(2);
        Variable g = Autograd.grad(x, x);
        assertValues(new double[] {1}, g.value());
    }

    @Test
    void backwardRuleContractViolationsNameTheOperation() {
        Variable x = param(1, 2);
        Variable bad = Ops.node("broken", x.value().mul(2), x)
                .backward((out, g, needs) -> new Variable[] {g.sum()});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> bad.sum().backward());
        assertMessage(e, "'broken'", "shape []", "[2]");
    }
}
