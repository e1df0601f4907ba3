package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.autograd.Variable;
import dev.descent.optim.Clipping.Style;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient clipping against torch.nn.utils.clip_grad_norm_ and clip_grad_value_ (float64 fixtures from
 * PyTorch 1.13, written by {@code fixtures/schedule/generate.py}) and optax's clip_by_global_norm against its
 * closed form.
 */
class ClippingTest {
    /** One fixture case: the clipping arguments, the gradients before and after, and torch's returned norm. */
    record Case(String kind, String name, double max, double normType, List<double[]> in, List<double[]> out,
            double norm) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> fixtures() throws IOException {
        List<String[]> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ClippingTest.class.getResourceAsStream("/fixtures/schedule/clipping.txt"), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line.trim().split("\\s+"));
            }
        }
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < lines.size(); ) {
            String[] h = lines.get(i++);
            int n = Integer.parseInt(h[4]);
            List<double[]> in = new ArrayList<>();
            List<double[]> out = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                in.add(values(lines.get(i++)));
            }
            for (int k = 0; k < n; k++) {
                out.add(values(lines.get(i++)));
            }
            double norm = Double.NaN;
            if (h[0].equals("case")) {
                norm = Double.parseDouble(lines.get(i++)[1]);
            }
            cases.add(new Case(h[0], h[1], Double.parseDouble(h[2]), Double.parseDouble(h[3]), in, out, norm));
        }
        return cases;
    }

    static Stream<Arguments> normCases() throws IOException {
        return fixtures().stream().filter(c -> c.kind().equals("case")).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("normCases")
    void clipGradNormMatchesTorch(Case c) {
        List<Variable> params = params(c.in());
        double norm = Clipping.clipGradNorm(params, c.max(), c.normType(), Style.TORCH, false);
        assertClose(c.norm(), norm, c.name() + " norm");
        for (int k = 0; k < params.size(); k++) {
            double[] got = params.get(k).grad().toDoubleArray();
            for (int j = 0; j < got.length; j++) {
                assertClose(c.out().get(k)[j], got[j], c.name() + " tensor " + k + " element " + j);
            }
        }
        assertClose(c.norm(), Clipping.globalNorm(params(c.in()), c.normType()), c.name() + " globalNorm");
    }

    @Test
    void clipGradValueMatchesTorch() throws IOException {
        Case c = fixtures().stream().filter(x -> x.kind().equals("value")).findFirst().orElseThrow();
        List<Variable> params = params(c.in());
        Clipping.clipGradValue(params, c.max());
        for (int k = 0; k < params.size(); k++) {
            double[] got = params.get(k).grad().toDoubleArray();
            for (int j = 0; j < got.length; j++) {
                assertEquals(c.out().get(k)[j], got[j], 0, "tensor " + k + " element " + j);
            }
        }
    }

    @Test
    void optaxStyleHasNoEpsilon() {
        // Global L2 norm of (3, 4) and (12) is 13.
        List<Variable> params = params(List.of(new double[] {3, 4}, new double[] {12}));
        assertEquals(13.0, Clipping.clipGradNorm(params, 6.5, 2.0, Style.OPTAX, false), 0);
        assertArray(new double[] {3 / 13.0 * 6.5, 4 / 13.0 * 6.5}, params.get(0).grad().toDoubleArray());
        assertArray(new double[] {12 / 13.0 * 6.5}, params.get(1).grad().toDoubleArray());

        // At exactly the threshold optax rescales by max/N = 1; torch's epsilon scales slightly below 1.
        List<Variable> atMax = params(List.of(new double[] {3, 4}));
        Clipping.clipGradNorm(atMax, 5.0, 2.0, Style.OPTAX, false);
        assertArray(new double[] {3, 4}, atMax.get(0).grad().toDoubleArray());
        List<Variable> torchAtMax = params(List.of(new double[] {3, 4}));
        Clipping.clipGradNorm(torchAtMax, 5.0);
        assertArray(new double[] {3 * 5 / (5 + 1e-6), 4 * 5 / (5 + 1e-6)}, torchAtMax.get(0).grad().toDoubleArray());

        // Below the threshold the gradients are untouched (same tensor, same values).
        List<Variable> below = params(List.of(new double[] {0.1, -0.2}));
        Tensor before = below.get(0).grad();
        Clipping.clipGradNorm(below, 1.0, 2.0, Style.OPTAX, false);
        assertSame(before, below.get(0).grad());
        assertArray(new double[] {0.1, -0.2}, before.toDoubleArray());
    }

    @Test
    void perTensorClippingIsKerasClipnorm() {
        // Norms 5 (clipped to 2), 13 (clipped to 2) and 1 (kept): g·c/max(‖g‖, c) per tensor, as tf.clip_by_norm.
        Variable none = Variable.parameter(Tensor.zeros(DType.FLOAT64, 2));
        List<Variable> params = new ArrayList<>(params(List.of(new double[] {3, 4}, new double[] {5, -12},
                new double[] {0.6, -0.8})));
        params.add(1, none);
        double[] norms = Clipping.clipGradNormPerTensor(params, 2.0);
        assertArray(new double[] {5, 0, 13, 1}, norms);
        assertArray(new double[] {3 * 2.0 / 5, 4 * 2.0 / 5}, params.get(0).grad().toDoubleArray());
        assertArray(new double[] {5 * 2.0 / 13, -12 * 2.0 / 13}, params.get(2).grad().toDoubleArray());
        double[] kept = params.get(3).grad().toDoubleArray();
        assertEquals(0.6 * 2.0 / 2.0, kept[0], 0);
        assertEquals(-0.8 * 2.0 / 2.0, kept[1], 0);
        assertNull(none.grad());
        // Random tensors: each ends with norm min(‖g‖, c), in the direction it had.
        java.util.Random rnd = new java.util.Random(3);
        List<double[]> in = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            double[] g = new double[3 + k];
            for (int j = 0; j < g.length; j++) {
                g[j] = rnd.nextGaussian() * (k + 0.5);
            }
            in.add(g);
        }
        List<Variable> random = params(in);
        double[] before = Clipping.clipGradNormPerTensor(random, 1.5);
        for (int k = 0; k < in.size(); k++) {
            double norm = 0;
            for (double v : in.get(k)) {
                norm += v * v;
            }
            norm = Math.sqrt(norm);
            assertEquals(norm, before[k], 1e-14 * norm);
            double[] got = random.get(k).grad().toDoubleArray();
            for (int j = 0; j < got.length; j++) {
                assertEquals(in.get(k)[j] * 1.5 / Math.max(norm, 1.5), got[j], 1e-15, "tensor " + k + " element " + j);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Clipping.clipGradNormPerTensor(params, 0));
        assertThrows(IllegalArgumentException.class, () -> Clipping.clipGradNormPerTensor(params, Double.NaN));
    }

    @Test
    void skipsParametersWithoutGradientAndReturnsZeroForNone() {
        Variable none = Variable.parameter(Tensor.zeros(DType.FLOAT64, 3));
        assertEquals(0.0, Clipping.clipGradNorm(List.of(none), 1.0), 0);
        List<Variable> params = new ArrayList<>(params(List.of(new double[] {6, 8})));
        params.add(none);
        assertEquals(10.0, Clipping.clipGradNorm(params, 1.0), 0);
        assertNull(none.grad());
    }

    @Test
    void errorIfNonfiniteLeavesGradientsAlone() {
        List<Variable> params = params(List.of(new double[] {1, Double.POSITIVE_INFINITY}, new double[] {2}));
        assertThrows(ArithmeticException.class,
                () -> Clipping.clipGradNorm(params, 1.0, 2.0, Style.TORCH, true));
        assertArray(new double[] {2}, params.get(1).grad().toDoubleArray());
        List<Variable> nan = params(List.of(new double[] {Double.NaN}));
        assertThrows(ArithmeticException.class,
                () -> Clipping.clipGradNorm(nan, 1.0, Double.POSITIVE_INFINITY, Style.OPTAX, true));
    }

    @Test
    void float32Gradients() {
        Variable p = Variable.parameter(Tensor.zeros(DType.FLOAT32, 2));
        p.setGrad(Tensor.of(3f, 4f));
        assertEquals(5.0, Clipping.clipGradNorm(List.of(p), 1.0), 1e-6);
        assertEquals(0.6, p.grad().getDouble(0), 1e-6);
        assertEquals(0.8, p.grad().getDouble(1), 1e-6);
    }

    @Test
    void rejectsInvalidArguments() {
        List<Variable> params = params(List.of(new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Clipping.clipGradNorm(params, -1, 2, Style.TORCH, false));
        assertThrows(IllegalArgumentException.class, () -> Clipping.clipGradNorm(params, 1, 0, Style.TORCH, false));
        assertThrows(IllegalArgumentException.class, () -> Clipping.clipGradNorm(params, 1, 2, null, false));
        assertThrows(IllegalArgumentException.class, () -> Clipping.clipGradValue(params, Double.NaN));
    }

    private static double[] values(String[] fields) {
        double[] v = new double[fields.length - 1];
        for (int i = 0; i < v.length; i++) {
            v[i] = Double.parseDouble(fields[i + 1]);
        }
        return v;
    }

    private static List<Variable> params(List<double[]> grads) {
        List<Variable> out = new ArrayList<>();
        for (double[] g : grads) {
            Variable p = Variable.parameter(Tensor.zeros(DType.FLOAT64, g.length));
            p.setGrad(Tensor.of(g.clone()));
            out.add(p);
        }
        return out;
    }

    private static void assertClose(double expected, double actual, String message) {
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            assertEquals(expected, actual, message);
        } else {
            assertEquals(expected, actual, 1e-14 * Math.max(1, Math.abs(expected)), message);
        }
    }

    private static void assertArray(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-15, "element " + i);
        }
    }
}
