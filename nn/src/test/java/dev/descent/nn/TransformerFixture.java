package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A PyTorch reference fixture from {@code fixtures/transformer/} (written by
 * {@code make_transformer_fixtures.py}, whose docstring gives the format and the naming of cases).
 */
final class TransformerFixture {
    /** The tolerance of float64 comparisons: |actual - expected| <= TOL (1 + |expected|). */
    static final double TOL = 1e-10;

    private final String file;
    private final Map<String, Tensor> tensors;

    private TransformerFixture(String file, Map<String, Tensor> tensors) {
        this.file = file;
        this.tensors = tensors;
    }

    static TransformerFixture load(String file) {
        String resource = "/fixtures/transformer/" + file;
        try (InputStream in = TransformerFixture.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing test resource " + resource);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            String header;
            while ((header = reader.readLine()) != null) {
                if (header.isBlank() || header.startsWith("#")) {
                    continue;
                }
                String[] h = header.trim().split(" ");
                int rank = Integer.parseInt(h[2]);
                int[] shape = new int[rank];
                for (int i = 0; i < rank; i++) {
                    shape[i] = Integer.parseInt(h[3 + i]);
                }
                String line = reader.readLine();
                String[] v = line == null || line.isBlank() ? new String[0] : line.trim().split(" ");
                tensors.put(h[0], parse(h[1], v, shape));
            }
            return new TransformerFixture(file, tensors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Tensor parse(String dtype, String[] v, int[] shape) {
        switch (dtype) {
            case "float64" -> {
                double[] d = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    d[i] = switch (v[i]) {
                        case "nan" -> Double.NaN;
                        case "inf" -> Double.POSITIVE_INFINITY;
                        case "-inf" -> Double.NEGATIVE_INFINITY;
                        default -> Double.parseDouble(v[i]);
                    };
                }
                return Tensor.of(d, shape);
            }
            case "int64" -> {
                long[] d = new long[v.length];
                for (int i = 0; i < v.length; i++) {
                    d[i] = Long.parseLong(v[i]);
                }
                return Tensor.of(d, shape);
            }
            case "bool" -> {
                long[] d = new long[v.length];
                for (int i = 0; i < v.length; i++) {
                    d[i] = Long.parseLong(v[i]);
                }
                return Tensor.of(d, shape).ne(0);
            }
            default -> throw new IllegalArgumentException("unknown fixture dtype " + dtype);
        }
    }

    /** The tensor {@code name}. */
    Tensor get(String name) {
        Tensor t = tensors.get(name);
        assertNotNull(t, file + " has no tensor " + name);
        return t;
    }

    /** The float input {@code <c>.in.<name>} as a fresh leaf that requires a gradient. */
    Variable input(String c, String name) {
        return Variable.parameter(get(c + ".in." + name).clone());
    }

    /** The boolean mask {@code <c>.mask.<name>}. */
    Tensor mask(String c, String name) {
        return get(c + ".mask." + name);
    }

    /** The state dict of case {@code c}: {@code <c>.param.*} with the prefix removed. */
    Map<String, Tensor> stateDict(String c) {
        String prefix = c + ".param.";
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), t);
            }
        });
        return out;
    }

    /** Casts {@code m} to FLOAT64 and loads case {@code c}'s weights into it, strictly; returns m. */
    <M extends Module> M loadInto(String c, M m) {
        m.to(DType.FLOAT64);
        m.loadStateDict(stateDict(c));
        return m;
    }

    /** Checks each output against {@code <c>.out.<name>}, then back-propagates sum(out * gout) over them. */
    void checkOutputsAndBackward(String c, Map<String, Variable> outputs) {
        Variable loss = null;
        for (Map.Entry<String, Variable> e : outputs.entrySet()) {
            assertClose(c + ".out." + e.getKey(), e.getValue().value());
            Variable term = e.getValue().mul(Variable.constant(get(c + ".gout." + e.getKey()))).sum();
            loss = loss == null ? term : loss.add(term);
        }
        loss.backward();
    }

    /** Checks the gradient of input {@code v} against {@code <c>.grad.<name>}. */
    void checkInputGrad(String c, String name, Variable v) {
        assertNotNull(v.grad(), "no gradient reached input " + name);
        assertClose(c + ".grad." + name, v.grad());
    }

    /** Checks every parameter's gradient against {@code <c>.pgrad.*}; the names must be the same sets. */
    void checkParamGrads(String c, Module m) {
        String prefix = c + ".pgrad.";
        TreeSet<String> expected = new TreeSet<>();
        tensors.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(k -> expected.add(k.substring(prefix.length())));
        assertEquals(expected, new TreeSet<>(m.namedParameters().keySet()), "parameter names of case " + c);
        m.namedParameters().forEach((name, p) -> {
            assertNotNull(p.grad(), "no gradient reached parameter " + name);
            assertClose(prefix + name, p.grad());
        });
    }

    /** {@code actual} against the fixture's {@code name}: same shape, NaN where it has NaN, else within TOL. */
    void assertClose(String name, Tensor actual) {
        assertClose(name, get(name), actual, TOL);
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double tol) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.cast(DType.FLOAT64).toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i]) : Math.abs(a[i] - e[i]) <= tol * (1 + Math.abs(e[i]));
            if (!ok) {
                fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i] + " (shape " + expected.shape()
                        + "; expected " + Arrays.toString(Arrays.copyOf(e, Math.min(e.length, 8))) + "...)");
            }
        }
    }
}
