package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module bookkeeping: names, order, modes, dtype moves, state dicts and the printed tree. */
class ModuleTest {
    /** A module with a parameter, a buffer and a child, in that order, to pin PyTorch's traversal order. */
    static final class Block extends Module {
        final Linear inner;

        Block(Rng rng) {
            registerParameter("scale", Tensor.ones(2));
            registerBuffer("count", Tensor.zeros(DType.INT64, 1));
            registerBuffer("running", Tensor.zeros(2));
            inner = registerModule("inner", new Linear(2, 2, rng));
        }
    }

    private static Sequential mlp(Rng rng) {
        return new Sequential(new Linear(4, 3, rng), new ReLU(), new Sequential(new Linear(3, 2, false, rng)));
    }

    @Test
    void namesComposeWithDotsInPyTorchsOrder() {
        Sequential m = mlp(new Rng(1));
        assertEquals(List.of("0.weight", "0.bias", "2.0.weight"), new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(3 * 4 + 3 + 2 * 3, m.parameterCount());
        assertEquals(List.of("", "0", "1", "2", "2.0"), new ArrayList<>(m.namedModules().keySet()));
        Block b = new Block(new Rng(1));
        // own parameters, own buffers, then children, as torch's state_dict
        assertEquals(List.of("scale", "count", "running", "inner.weight", "inner.bias"), new ArrayList<>(b.stateDict().keySet()));
        assertEquals(List.of("count", "running"), new ArrayList<>(b.namedBuffers().keySet()));
    }

    @Test
    void duplicateOrDottedNamesAreRejected() {
        Module m = new Module() {
            {
                registerParameter("w", Tensor.ones(1));
                assertThrows(IllegalArgumentException.class, () -> registerBuffer("w", Tensor.ones(1)));
                assertThrows(IllegalArgumentException.class, () -> registerParameter("a.b", Tensor.ones(1)));
            }
        };
        assertEquals(1, m.parameters().size());
    }

    @Test
    void applyVisitsChildrenBeforeParentsAndModesPropagate() {
        Sequential m = mlp(new Rng(1));
        List<String> order = new ArrayList<>();
        m.apply(x -> order.add(x.getClass().getSimpleName()));
        assertEquals(List.of("Linear", "ReLU", "Linear", "Sequential", "Sequential"), order);
        m.eval();
        m.apply(x -> assertFalse(x.isTraining()));
        m.train();
        m.apply(x -> assertTrue(x.isTraining()));
    }

    @Test
    void zeroGradClearsEveryGradient() {
        Sequential m = mlp(new Rng(2));
        m.forward(Variable.constant(Tensor.ones(1, 4))).sum().backward();
        m.parameters().forEach(p -> assertTrue(p.grad() != null));
        m.zeroGrad();
        m.parameters().forEach(p -> assertNull(p.grad()));
    }

    @Test
    void toDtypeCastsParametersAndFloatBuffers() {
        Block b = new Block(new Rng(3));
        float[] before = b.inner.weight().value().toFloatArray();
        b.to(DType.FLOAT64);
        b.parameters().forEach(p -> assertEquals(DType.FLOAT64, p.dtype()));
        assertEquals(DType.FLOAT64, b.stateDict().get("running").dtype());
        assertEquals(DType.INT64, b.stateDict().get("count").dtype());
        double[] after = b.inner.weight().value().toDoubleArray();
        for (int i = 0; i < before.length; i++) {
            assertEquals(before[i], after[i], 0);
        }
    }

    @Test
    void stateDictsRoundTripByValue() {
        Sequential a = mlp(new Rng(4));
        Sequential b = mlp(new Rng(5));
        b.loadStateDict(a.stateDict());
        a.stateDict().forEach((name, t) -> assertArrayEquals(t.toFloatArray(), b.stateDict().get(name).toFloatArray(), name));
        // copied, not shared
        a.parameters().get(0).value().fill_(7);
        assertTrue(b.parameters().get(0).value().toFloatArray()[0] != 7);
    }

    @Test
    void strictLoadingReportsEveryProblemAtOnceAndChangesNothing() {
        Sequential m = mlp(new Rng(6));
        Map<String, Tensor> state = new LinkedHashMap<>(m.stateDict());
        float[] original = m.parameters().get(0).value().toFloatArray();
        state.remove("0.bias");
        state.put("extra.weight", Tensor.ones(1));
        state.put("0.weight", Tensor.ones(4, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(state));
        String msg = e.getMessage();
        assertTrue(msg.contains("missing keys [0.bias]"), msg);
        assertTrue(msg.contains("unexpected keys [extra.weight]"), msg);
        assertTrue(msg.contains("0.weight") && msg.contains("[4, 3]") && msg.contains("[3, 4]"), msg);
        assertArrayEquals(original, m.parameters().get(0).value().toFloatArray());
        // non-strict: missing and unexpected keys are allowed, shape mismatches still are not
        state.put("0.weight", Tensor.ones(3, 4));
        m.loadStateDict(state, false);
        assertArrayEquals(new float[12], m.parameters().get(0).value().sub(1).toFloatArray());
    }

    @Test
    void printsTheTreeAsPyTorchDoes() {
        // the expected text is what PyTorch 1.13 prints for the same modules
        Sequential m = new Sequential(new Linear(4, 3, new Rng(1)), new ReLU(),
                new Sequential(new Linear(3, 2, false, new Rng(1))), new LayerNorm(2), new Dropout(0.1, new Rng(1)),
                new GELU());
        assertEquals("""
                Sequential(
                  (0): Linear(in_features=4, out_features=3, bias=True)
                  (1): ReLU()
                  (2): Sequential(
                    (0): Linear(in_features=3, out_features=2, bias=False)
                  )
                  (3): LayerNorm((2,), eps=1e-05, elementwise_affine=True)
                  (4): Dropout(p=0.1, inplace=False)
                  (5): GELU(approximate='none')
                )""", m.toString());
        assertEquals("Embedding(10, 2, padding_idx=0)", new Embedding(10, 2, 0, new Rng(1)).toString());
    }
}
