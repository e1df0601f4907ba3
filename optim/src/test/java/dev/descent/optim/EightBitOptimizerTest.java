package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.optim.eightbit.Adam8bit;
import dev.descent.optim.eightbit.AdamW8bit;
import dev.descent.optim.eightbit.DynamicMap;
import dev.descent.optim.eightbit.EightBitOptimizer;
import dev.descent.optim.eightbit.Momentum8bit;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Adam8bit, AdamW8bit and Momentum8bit (spec/optimizers.md §13.2) against the float32 Python reference of
 * {@code fixtures/eightbit/gen_eightbit_fixtures.py}: codes and absmax exactly, parameters within a float32
 * tolerance; 32-bit fallback; exact resume.
 */
class EightBitOptimizerTest {
    private static final String[] NAMES = {"w", "b"};
    private static final int[] SIZES = {4100, 100};

    private static Map<String, Variable> params() {
        Map<String, Variable> p = new LinkedHashMap<>();
        for (int k = 0; k < NAMES.length; k++) {
            p.put(NAMES[k], Variable.parameter(Tensor.of(EightBitFixture.init(k, SIZES[k]), SIZES[k])));
        }
        return p;
    }

    private static void step(Optimizer opt, Map<String, Variable> p, int t, boolean inject) {
        opt.zeroGrad();
        for (int k = 0; k < NAMES.length; k++) {
            p.get(NAMES[k]).setGrad(Tensor.of(EightBitFixture.grad(k, t, SIZES[k], inject), SIZES[k]));
        }
        opt.step();
    }

    private static ParamGroup group(Map<String, Variable> p, Map<String, Double> options) {
        return new ParamGroup(p, options);
    }

    private static void runCase(String file, Function<Map<String, Variable>, Optimizer> make, boolean inject) {
        Map<String, String[]> f = EightBitFixture.load(file + ".txt");
        Map<String, Variable> p = params();
        Optimizer opt = make.apply(p);
        for (int t = 1; t <= 6; t++) {
            step(opt, p, t, inject);
            if (t != 1 && t != 6) {
                continue;
            }
            for (String n : NAMES) {
                float[] expected = EightBitFixture.floats(f.get("param " + t + " " + n));
                float[] actual = p.get(n).value().toFloatArray();
                // bit-identical today; the tolerance covers Math.pow differing by an ulp on other JVMs
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])),
                            file + " step " + t + " " + n + "[" + i + "]");
                }
            }
            Map<String, Tensor> st = opt.stateTensors();
            for (String key : new String[] {"state1", "state2"}) {
                String[] codes = f.get(key + " " + t + " w");
                if (codes != null) {
                    assertArrayEquals(EightBitFixture.ints(codes), unpack(st.get("w." + key), 4100),
                            file + " " + key + " step " + t);
                }
            }
            for (String key : new String[] {"absmax1", "absmax2"}) {
                String[] v = f.get(key + " " + t + " w");
                if (v != null) {
                    assertArrayEquals(EightBitFixture.floats(v), st.get("w." + key).toFloatArray(),
                            file + " " + key + " step " + t);
                }
            }
            assertEquals(DType.FLOAT32, st.get("b.state1").dtype());
        }
    }

    /** The documented packing: code i in bits 8*(i%8) of INT64 word i/8. */
    private static int[] unpack(Tensor words, int n) {
        long[] w = words.toLongArray();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) (w[i / 8] >>> (8 * (i % 8))) & 0xFF;
        }
        return out;
    }

    @Test
    void adam8bitMatchesTheReference() {
        runCase("adam8bit_default", p -> new Adam8bit(List.of(group(p, Map.of("lr", 1e-2))), Set.of()), false);
    }

    @Test
    void adamW8bitWithDecayAndNonFiniteGradientsMatchesTheReference() {
        runCase("adamw8bit_decay_nonfinite", p -> new AdamW8bit(List.of(group(p, Map.of("lr", 1e-2, "beta2", 0.99,
                "eps", 1e-6))), Set.of()), true);
    }

    @Test
    void adam8bitWithThePaperBlockSizeMatchesTheReference() {
        runCase("adam8bit_block2048", p -> new Adam8bit(List.of(group(p, Map.of("lr", 1e-2, "beta1", 0.8,
                "block_size", 2048.0))), Set.of()), false);
    }

    @Test
    void momentum8bitMatchesTheReference() {
        runCase("momentum8bit_decay", p -> new Momentum8bit(List.of(group(p, Map.of("lr", 1e-2, "momentum", 0.9,
                "weight_decay", 1e-3))), Set.of()), false);
    }

    @Test
    void momentum8bitWithThePaperBlockSizeMatchesTheReference() {
        runCase("momentum8bit_block2048", p -> new Momentum8bit(List.of(group(p, Map.of("lr", 5e-2, "momentum", 0.5,
                "block_size", 2048.0))), Set.of()), false);
    }

    @Test
    void nonFiniteGradientElementsZeroTheStateAndLeaveTheParameter() {
        Map<String, Variable> p = params();
        AdamW8bit opt = new AdamW8bit(List.of(group(p, Map.of("lr", 1e-2))), Set.of());
        step(opt, p, 1, true);
        float[] before = p.get("w").value().toFloatArray();
        step(opt, p, 2, true);
        float[] after = p.get("w").value().toFloatArray();
        Map<String, Tensor> st = opt.stateTensors();
        float[] q1 = DynamicMap.signed();
        float[] q2 = DynamicMap.unsigned();
        int[] c1 = unpack(st.get("w.state1"), 4100);
        int[] c2 = unpack(st.get("w.state2"), 4100);
        for (int i : new int[] {5, 300, 301}) {
            assertEquals(before[i], after[i], "parameter " + i);
            assertEquals(0f, Math.abs(q1[c1[i]] * st.get("w.absmax1").toFloatArray()[i / 256]), "m " + i);
            assertEquals(0f, q2[c2[i]] * st.get("w.absmax2").toFloatArray()[i / 256], "v " + i);
        }
        assertTrue(before[6] != after[6]);
    }

    @Test
    void smallTensorsAndNamedParametersKeep32BitState() {
        Map<String, Variable> p = params();
        Adam8bit opt = new Adam8bit(List.of(group(p, Map.of("lr", 1e-2))), Set.of("w"));
        assertEquals(Set.of("w"), opt.fullPrecisionParameters());
        for (int t = 1; t <= 3; t++) {
            step(opt, p, t, false);
        }
        Map<String, Tensor> st = opt.stateTensors();
        assertEquals(Set.of("w.state1", "w.state2", "b.state1", "b.state2"), st.keySet());
        for (Tensor s : st.values()) {
            assertEquals(DType.FLOAT32, s.dtype());
        }
        assertEquals(4100, st.get("w.state1").numel());
        // the same as raising min_8bit_size above the tensor's size
        Map<String, Variable> q = params();
        Adam8bit big = new Adam8bit(List.of(group(q, Map.of("lr", 1e-2, "min_8bit_size", 1e9))), Set.of());
        for (int t = 1; t <= 3; t++) {
            step(big, q, t, false);
        }
        assertArrayEquals(q.get("w").value().toFloatArray(), p.get("w").value().toFloatArray());
        assertFalse(big.isEightBit(big.paramGroups().get(0), q.get("w")));
        // and 8-bit otherwise: state1 is INT64 of ceil(n/8) words, absmax one per 256 elements
        Map<String, Variable> r = params();
        Adam8bit eight = new Adam8bit(r, 1e-2);
        step(eight, r, 1, false);
        Map<String, Tensor> s8 = eight.stateTensors();
        assertEquals(DType.INT64, s8.get("w.state1").dtype());
        assertEquals(513, s8.get("w.state1").numel());
        assertEquals(17, s8.get("w.absmax1").numel());
        assertEquals(100, s8.get("b.state1").numel());
        assertTrue(eight.isEightBit(eight.paramGroups().get(0), r.get("w")));
    }

    @Test
    void momentum32BitFallbackIsPlainHeavyBallMomentum() {
        Variable x = Variable.parameter(Tensor.of(new float[] {1f, -2f}, 2));
        Momentum8bit opt = new Momentum8bit(Map.of("x", x), 0.1, 0.5);
        float[] buf = {0f, 0f};
        float[] v = {1f, -2f};
        float[][] grads = {{1f, 2f}, {0.5f, -1f}, {-3f, 0.25f}};
        for (int t = 0; t < grads.length; t++) {
            x.zeroGrad();
            x.setGrad(Tensor.of(grads[t], 2));
            opt.step();
            for (int i = 0; i < 2; i++) {
                buf[i] = t == 0 ? grads[t][i] : buf[i] * 0.5f + grads[t][i];
                v[i] = v[i] - 0.1f * buf[i];
            }
        }
        assertArrayEquals(v, x.value().toFloatArray());
    }

    @Test
    void resumeIsBitIdentical() {
        List<Function<Map<String, Variable>, Optimizer>> makers = List.of(
                p -> new Adam8bit(List.of(group(p, Map.of("lr", 1e-2))), Set.of()),
                p -> new AdamW8bit(List.of(group(p, Map.of("lr", 1e-2, "block_size", 2048.0))), Set.of("b")),
                p -> new Momentum8bit(List.of(group(p, Map.of("lr", 1e-2, "momentum", 0.9, "weight_decay", 1e-3))),
                        Set.of()));
        for (Function<Map<String, Variable>, Optimizer> make : makers) {
            Map<String, Variable> a = params();
            Optimizer straight = make.apply(a);
            for (int t = 1; t <= 10; t++) {
                step(straight, a, t, true);
            }
            Map<String, Variable> b = params();
            Optimizer first = make.apply(b);
            for (int t = 1; t <= 5; t++) {
                step(first, b, t, true);
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            first.stateTensors().forEach((k, v) -> tensors.put(k, v.clone()));
            Map<String, Object> scalars = new LinkedHashMap<>(first.stateScalars());
            Map<String, Variable> c = new LinkedHashMap<>();
            b.forEach((n, v) -> c.put(n, Variable.parameter(v.value().clone())));
            Optimizer resumed = make.apply(c);
            resumed.loadState(tensors, scalars);
            for (int t = 6; t <= 10; t++) {
                step(resumed, c, t, true);
            }
            for (String n : NAMES) {
                assertArrayEquals(a.get(n).value().toFloatArray(), c.get(n).value().toFloatArray(),
                        straight.name() + " " + n);
            }
            Map<String, Tensor> sa = straight.stateTensors();
            Map<String, Tensor> sc = resumed.stateTensors();
            assertEquals(sa.keySet(), sc.keySet());
            for (String k : sa.keySet()) {
                if (sa.get(k).dtype() == DType.INT64) {
                    assertArrayEquals(sa.get(k).toLongArray(), sc.get(k).toLongArray(), k);
                } else {
                    assertArrayEquals(sa.get(k).toFloatArray(), sc.get(k).toFloatArray(), k);
                }
            }
            assertEquals(straight.stateScalars(), resumed.stateScalars());
        }
    }

    @Test
    void defaultsAndValidation() {
        Map<String, Variable> p = params();
        assertEquals(1e-2, new AdamW8bit(p, 1e-3).paramGroups().get(0).get("weight_decay"));
        assertEquals(0.0, new Adam8bit(p, 1e-3).paramGroups().get(0).get("weight_decay"));
        assertEquals(256.0, new Adam8bit(p, 1e-3).paramGroups().get(0).get("block_size"));
        assertEquals(4096.0, new Adam8bit(p, 1e-3).paramGroups().get(0).get("min_8bit_size"));
        assertThrows(IllegalArgumentException.class, () -> new Momentum8bit(p, 0.1, 0.0));
        assertThrows(IllegalArgumentException.class,
                () -> new Adam8bit(List.of(group(p, Map.of("block_size", 300.0))), Set.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new Adam8bit(List.of(group(p, Map.of("beta2", 1.0))), Set.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new Adam8bit(List.of(group(p, Map.of("amsgrad", 1.0))), Set.of()));
        Variable d = Variable.parameter(Tensor.zeros(DType.FLOAT64, 3));
        EightBitOptimizer opt = new Adam8bit(Map.of("d", d), 1e-3);
        d.setGrad(Tensor.zeros(DType.FLOAT64, 3));
        assertThrows(IllegalArgumentException.class, opt::step);
    }
}
