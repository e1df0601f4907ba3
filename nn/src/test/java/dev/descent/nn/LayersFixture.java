package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads the PyTorch fixtures under {@code fixtures/layers/} (format described in make_layer_fixtures.py) and
 * replays a recorded case on a Descent module: same weights, same inputs, same modes, and every output,
 * gradient and final buffer compared with PyTorch's.
 */
final class LayersFixture {
    /** Elementwise tolerance, relative to {@code 1 + |expected|}, for fixtures recorded in each dtype. */
    static final double FLOAT64_TOLERANCE = 1e-10;
    static final double FLOAT32_TOLERANCE = 2e-5;

    private static final Map<String, Map<String, Case>> CACHE = new ConcurrentHashMap<>();

    private LayersFixture() {
    }

    /** One recorded case: tensors and strings by key. */
    record Case(String name, Map<String, Tensor> tensors, Map<String, String> texts) {
        Tensor tensor(String key) {
            Tensor t = tensors.get(key);
            assertNotNull(t, name + ": the fixture has no tensor '" + key + "'");
            return t;
        }

        String text(String key) {
            String s = texts.get(key);
            assertNotNull(s, name + ": the fixture has no text '" + key + "'");
            return s;
        }

        /** The tensors whose keys start with {@code prefix}, keyed by the rest, in file order. */
        Map<String, Tensor> withPrefix(String prefix) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            tensors.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    out.put(k.substring(prefix.length()), v);
                }
            });
            return out;
        }

        int steps() {
            int k = 0;
            while (tensors.containsKey("input." + k)) {
                k++;
            }
            return k;
        }
    }

    /** A module and how to apply it to a fixture input (a float tensor as a leaf, or INT64 indices). */
    record Subject(Module module, Function<Variable, Variable> forward) {
        static Subject of(Layer layer) {
            return new Subject(layer, layer::forward);
        }

        static Subject of(Embedding embedding) {
            return new Subject(embedding, x -> embedding.forward(x.value()));
        }
    }

    /** The cases of {@code fixtures/layers/<file>}, by name, in file order. */
    static Map<String, Case> load(String file) {
        return CACHE.computeIfAbsent(file, LayersFixture::read);
    }

    private static Map<String, Case> read(String file) {
        String path = "/fixtures/layers/" + file;
        InputStream in = LayersFixture.class.getResourceAsStream(path);
        assertNotNull(in, "missing test resource " + path);
        Map<String, Case> cases = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Case current = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] head = line.split(" ", 3);
                switch (head[0]) {
                    case "case" -> {
                        current = new Case(head[1], new LinkedHashMap<>(), new LinkedHashMap<>());
                        cases.put(head[1], current);
                    }
                    case "text" -> current.texts().put(head[1], unescape(head.length > 2 ? head[2] : ""));
                    case "tensor" -> current.tensors().put(head[1], parseTensor(head[2], r.readLine()));
                    default -> throw new IllegalStateException(path + ": unexpected line '" + line + "'");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(n == 'n' ? '\n' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code dtypeAndShape} is e.g. "float64 [2,3]"; {@code values} the row-major values. */
    private static Tensor parseTensor(String dtypeAndShape, String values) {
        String[] parts = dtypeAndShape.split(" ");
        String dims = parts[1].substring(1, parts[1].length() - 1);
        int[] shape = dims.isEmpty() ? new int[0] : Arrays.stream(dims.split(",")).mapToInt(Integer::parseInt).toArray();
        String[] tokens = values.isBlank() ? new String[0] : values.trim().split(" ");
        return switch (parts[0]) {
            case "float64" -> Tensor.of(Arrays.stream(tokens).mapToDouble(Double::parseDouble).toArray(), shape);
            case "float32" -> {
                float[] f = new float[tokens.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) Double.parseDouble(tokens[i]);
                }
                yield Tensor.of(f, shape);
            }
            case "int64" -> Tensor.of(Arrays.stream(tokens).mapToLong(Long::parseLong).toArray(), shape);
            default -> throw new IllegalStateException("unknown dtype " + parts[0]);
        };
    }

    /**
     * Replays case {@code c} on {@code subject}: loads the recorded state, then for each step sets the mode,
     * applies the module to the recorded input and compares the output, the input's gradient and every
     * parameter's gradient of {@code sum(output * upstream)}; finally compares the whole state dict.
     */
    static void replay(Case c, Subject subject) {
        Module m = subject.module();
        DType dtype = c.tensor("output.0").dtype();
        double tol = dtype == DType.FLOAT64 ? FLOAT64_TOLERANCE : FLOAT32_TOLERANCE;
        assertEquals(c.text("repr"), m.toString(), c.name() + ": printed form");
        m.to(dtype);
        m.loadStateDict(c.withPrefix("state."));
        for (int k = 0; k < c.steps(); k++) {
            String step = c.name() + " step " + k + " (" + c.text("mode." + k) + ")";
            m.train(c.text("mode." + k).equals("train"));
            m.zeroGrad();
            Tensor input = c.tensor("input." + k);
            Variable x = input.dtype().isFloatingPoint() ? Variable.parameter(input) : Variable.constant(input);
            Variable y = subject.forward().apply(x);
            assertClose(step + " output", c.tensor("output." + k), y.value(), tol);
            y.mul(Variable.constant(c.tensor("upstream." + k))).sum().backward();
            if (c.tensors().containsKey("grad.input." + k)) {
                assertClose(step + " input gradient", c.tensor("grad.input." + k), x.grad(), tol);
            }
            for (Map.Entry<String, Variable> p : m.namedParameters().entrySet()) {
                Tensor expected = c.tensor("grad." + p.getKey() + "." + k);
                assertNotNull(p.getValue().grad(), step + ": no gradient for " + p.getKey());
                assertClose(step + " gradient of " + p.getKey(), expected, p.getValue().grad(), tol);
            }
        }
        Map<String, Tensor> expectedState = c.withPrefix("final.");
        Map<String, Tensor> state = m.stateDict();
        assertEquals(new ArrayList<>(expectedState.keySet()), new ArrayList<>(state.keySet()), c.name() + ": state keys");
        expectedState.forEach((key, expected) -> assertClose(c.name() + " final " + key, expected, state.get(key), tol));
    }

    /** Every case of {@code file} is in {@code covered}, so that no fixture is recorded and never replayed. */
    static void assertAllCovered(String file, java.util.Collection<String> covered) {
        TreeSet<String> missing = new TreeSet<>(load(file).keySet());
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), file + ": cases never replayed: " + missing);
        TreeSet<String> unknown = new TreeSet<>(covered);
        unknown.removeAll(load(file).keySet());
        assertTrue(unknown.isEmpty(), file + ": cases not in the fixture: " + unknown);
    }

    /** Same shape, dtype, and every element within {@code tol * (1 + |expected|)}. */
    static void assertClose(String what, Tensor expected, Tensor actual, double tol) {
        assertNotNull(actual, what + ": missing");
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        double[] e = expected.cast(DType.FLOAT64).toDoubleArray();
        double[] a = actual.cast(DType.FLOAT64).toDoubleArray();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= tol * (1 + Math.abs(e[i])))) {
                bad.add("[" + i + "] expected " + e[i] + " got " + a[i]);
            }
        }
        if (!bad.isEmpty()) {
            fail(what + ": " + bad.size() + " of " + e.length + " elements differ, e.g. " + bad.subList(0, Math.min(3, bad.size())));
        }
    }
}
