package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.nn.functional.Reduction;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every loss, reduction and option against values and gradients computed by PyTorch 1.13
 * ({@code fixtures/losses/gen_losses.py}): the loss, and the gradients of {@code <loss, grad_output>} with
 * respect to the input and, where the target is differentiable, the target. Each case runs in FLOAT64
 * (tight tolerance) and in FLOAT32.
 */
class LossFixturesTest {

    /** One block of losses.txt: options and named tensors. */
    record Case(String name, Map<String, String> options, Map<String, Tensor> tensors) {
        String option(String key) {
            String v = options.get(key);
            if (v == null) {
                throw new IllegalStateException("case " + name + " has no option " + key);
            }
            return v;
        }

        Tensor tensor(String key) {
            return tensors.get(key);
        }

        Reduction reduction() {
            return Reduction.valueOf(option("reduction").toUpperCase(Locale.ROOT));
        }
    }

    static List<Case> readCases() throws IOException {
        var in = LossFixturesTest.class.getResourceAsStream("/fixtures/losses/losses.txt");
        if (in == null) {
            throw new IllegalStateException("fixtures/losses/losses.txt is missing from the test classpath");
        }
        List<Case> cases = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Case current = null;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ");
                if (parts[0].equals("case")) {
                    current = new Case(parts[1], new LinkedHashMap<>(), new LinkedHashMap<>());
                    cases.add(current);
                } else if (parts[0].equals("tensor")) {
                    current.tensors().put(parts[1], parseTensor(parts));
                } else {
                    current.options().put(parts[0], parts[1]);
                }
            }
        }
        return cases;
    }

    /** {@code tensor <name> <dtype> [d0,d1,...] v0 v1 ...}. */
    private static Tensor parseTensor(String[] parts) {
        String dimsText = parts[3].substring(1, parts[3].length() - 1);
        int[] dims = dimsText.isEmpty() ? new int[0]
                : Stream.of(dimsText.split(",")).mapToInt(Integer::parseInt).toArray();
        int n = parts.length - 4;
        if (parts[2].equals("int64")) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = Long.parseLong(parts[4 + i]);
            }
            return Tensor.of(v, dims);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Double.parseDouble(parts[4 + i]);
        }
        return Tensor.of(v, dims);
    }

    @Test
    void fixturesCoverEveryLossAndReduction() throws IOException {
        List<Case> cases = readCases();
        assertTrue(cases.size() >= 90, "expected the full table, got " + cases.size() + " cases");
        for (String loss : List.of("cross_entropy", "cross_entropy_probs", "nll", "mse", "l1", "smooth_l1",
                "bce_with_logits")) {
            for (String red : List.of("none", "mean", "sum")) {
                assertTrue(cases.stream().anyMatch(c -> c.option("loss").equals(loss)
                        && c.option("reduction").equals(red)), loss + " with reduction " + red);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> float64MatchesPyTorch() throws IOException {
        return readCases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, DType.FLOAT64,
                1e-12, 1e-10)));
    }

    @TestFactory
    Stream<DynamicTest> float32MatchesPyTorch() throws IOException {
        return readCases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c, DType.FLOAT32,
                2e-5, 2e-5)));
    }

    private static void check(Case c, DType dtype, double atol, double rtol) {
        Tensor target = c.tensor("target");
        boolean targetGrad = c.tensors().containsKey("grad_target");
        Variable input = Variable.parameter(c.tensor("input").cast(dtype));
        Variable targetVar = target.dtype() == DType.INT64 ? null
                : targetGrad ? Variable.parameter(target.cast(dtype)) : Variable.constant(target.cast(dtype));
        Variable loss = evaluate(c, input, target, targetVar);
        assertEquals(dtype, loss.dtype(), "dtype of the loss");
        assertClose(c.name() + " loss", c.tensor("loss"), loss.value(), atol, rtol);

        List<Variable> wrt = targetGrad ? List.of(input, targetVar) : List.of(input);
        List<Variable> grads = Autograd.grad(List.of(loss), wrt, List.of(c.tensor("grad_output").cast(dtype)),
                false, false, false);
        assertClose(c.name() + " grad_input", c.tensor("grad_input"), grads.get(0).value(), atol, rtol);
        if (targetGrad) {
            assertClose(c.name() + " grad_target", c.tensor("grad_target"), grads.get(1).value(), atol, rtol);
        }
    }

    static Variable evaluate(Case c, Variable input, Tensor target, Variable targetVar) {
        Reduction red = c.reduction();
        return switch (c.option("loss")) {
            case "cross_entropy" -> F.crossEntropy(input, target, red, Integer.parseInt(c.option("ignore_index")),
                    Double.parseDouble(c.option("label_smoothing")));
            case "cross_entropy_probs" -> F.crossEntropyWithProbabilities(input, targetVar, red,
                    Double.parseDouble(c.option("label_smoothing")));
            case "nll" -> F.nllLoss(input, target, red, Integer.parseInt(c.option("ignore_index")));
            case "mse" -> F.mseLoss(input, targetVar, red);
            case "l1" -> F.l1Loss(input, targetVar, red);
            case "smooth_l1" -> F.smoothL1Loss(input, targetVar, red, Double.parseDouble(c.option("beta")));
            case "bce_with_logits" -> F.binaryCrossEntropyWithLogits(input, targetVar, red);
            default -> throw new IllegalStateException("unknown loss " + c.option("loss"));
        };
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double atol, double rtol) {
        assertArrayEquals(expected.shape().toArray(), actual.shape().toArray(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i])) {
                if (!Double.isNaN(a[i])) {
                    fail(what + ": element " + i + " is " + a[i] + ", PyTorch gives NaN");
                }
                continue;
            }
            if (!(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]))) {
                fail(what + ": element " + i + " is " + a[i] + ", PyTorch gives " + e[i]);
            }
        }
    }
}
