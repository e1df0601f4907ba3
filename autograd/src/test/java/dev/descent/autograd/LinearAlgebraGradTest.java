package dev.descent.autograd;

import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * First and second derivatives of matmul (every torch.matmul case), outer and dot against central
 * differences (float64), on contiguous, permuted and sliced operands; then the gradients of a broadcast
 * batched product and of a softmax cross-entropy against their closed forms.
 */
class LinearAlgebraGradTest {
    static final Set<String> COVERS = Set.of("matmul", "outer", "dot", "linear", "linearRelu");

    private static final double EXACT = 1e-12;

    private record Product(String name, Function<List<Variable>, Variable> f, int[] a, int[] b) {
    }

    private static Product matmul(String name, int[] a, int[] b) {
        return new Product("matmul " + name, v -> v.get(0).matmul(v.get(1)), a, b);
    }

    static Stream<GradCase> cases() {
        GradInputs in = new GradInputs(41);
        List<Product> products = List.of(
                matmul("1-D x 1-D", new int[] {4}, new int[] {4}),
                matmul("1-D x 2-D", new int[] {3}, new int[] {3, 2}),
                matmul("2-D x 1-D", new int[] {2, 3}, new int[] {3}),
                matmul("2-D x 2-D", new int[] {2, 3}, new int[] {3, 4}),
                matmul("2-D x 2-D with size-1 dims", new int[] {1, 3}, new int[] {3, 1}),
                matmul("batched, same batch", new int[] {2, 2, 3}, new int[] {2, 3, 2}),
                matmul("batched, broadcast batch", new int[] {2, 1, 2, 3}, new int[] {3, 3, 2}),
                matmul("batched, size-1 batch on the left", new int[] {1, 2, 3}, new int[] {2, 3, 2}),
                matmul("N-D x 2-D", new int[] {2, 3, 2, 3}, new int[] {3, 2}),
                matmul("2-D x N-D", new int[] {2, 3}, new int[] {2, 3, 2}),
                matmul("1-D x N-D", new int[] {3}, new int[] {2, 3, 2}),
                matmul("N-D x 1-D", new int[] {2, 2, 3}, new int[] {3}),
                new Product("outer", v -> v.get(0).outer(v.get(1)), new int[] {3}, new int[] {4}),
                new Product("dot", v -> v.get(0).dot(v.get(1)), new int[] {5}, new int[] {5}));
        List<GradCase> cases = new ArrayList<>();
        for (Product p : products) {
            Tensor a = in.normal(p.a);
            Tensor b = in.normal(p.b);
            // a nonlinearity after the product, so that the gradient reaching the rule depends on a and b
            Function<List<Variable>, Variable> f = v -> p.f.apply(v).sin();
            cases.add(GradCase.of(p.name + " contiguous", f, a, b));
            cases.add(GradCase.of(p.name + " permuted", f, in.permuted(a), in.permuted(b)));
            cases.add(GradCase.of(p.name + " sliced", f, in.sliced(a), in.sliced(b)));
        }
        // linear: x W^T + b with x of rank 1, 2 and 3, and without bias
        for (int[] xs : new int[][] {{3}, {2, 3}, {2, 2, 3}}) {
            Function<List<Variable>, Variable> f = v -> v.get(0).linear(v.get(1), v.get(2)).sin();
            cases.add(GradCase.of("linear x " + java.util.Arrays.toString(xs), f, in.normal(xs), in.normal(4, 3),
                    in.normal(4)));
            cases.add(GradCase.of("linear x " + java.util.Arrays.toString(xs) + " permuted", f,
                    in.permuted(in.normal(xs)), in.permuted(in.normal(4, 3)), in.normal(4)));
        }
        cases.add(GradCase.of("linear without bias", v -> v.get(0).linear(v.get(1), null).sin(), in.normal(2, 3),
                in.normal(4, 3)));
        // linearRelu: relu(x W^T + b), the ReLU's kink kept away from the inputs by the bias (|b| >= 2 beyond
        // |x W^T| on some units: positive ones and cut ones) so that central differences do not straddle it
        Tensor bias = Tensor.of(2.5, -2.5, 3.0, -3.0);
        for (int[] xs : new int[][] {{2, 3}, {2, 2, 3}}) {
            Function<List<Variable>, Variable> f = v -> v.get(0).linearRelu(v.get(1), v.get(2)).sin();
            cases.add(GradCase.of("linearRelu x " + java.util.Arrays.toString(xs), f, in.normal(xs).mul(0.3),
                    in.normal(4, 3).mul(0.3), bias));
        }
        cases.add(GradCase.of("linearRelu without bias", v -> v.get(0).linearRelu(v.get(1), null).sin(),
                in.normal(2, 3), in.normal(4, 3)));
        // one operand used twice: both gradients of the rule reach the same leaf
        cases.add(GradCase.of("matmul x x^T", v -> v.get(0).matmul(v.get(0).t()).sin(), in.normal(2, 3)));
        cases.add(GradCase.of("matmul chain", v -> v.get(0).matmul(v.get(1)).tanh().matmul(v.get(2)),
                in.normal(2, 3), in.normal(3, 4), in.normal(4)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradcheck(GradCase c) {
        GradCheck.Report r = GradCheck.gradcheck(c.f(), c.inputs());
        assertTrue(r.passed(), c.name() + ": " + r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradgradcheck(GradCase c) {
        GradCheck.Report r = GradCheck.gradgradcheck(c.f(), c.inputs());
        assertTrue(r.passed(), c.name() + ": " + r);
    }

    // ------------------------------------------------------------------ closed forms

    @Test
    void linearReluUnderAnotherLinearMatchesTheComposition() {
        // the second linear's input gradient is one the backward pass holds alone, so ReLU's mask goes in place
        Rng rng = new Rng(10);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor[] values = {Tensor.randn(rng, dtype, 4, 6, 5), Tensor.randn(rng, dtype, 7, 5),
                Tensor.randn(rng, dtype, 7), Tensor.randn(rng, dtype, 3, 7), Tensor.randn(rng, dtype, 3)};
            Variable[] fused = new Variable[5];
            Variable[] plain = new Variable[5];
            for (int i = 0; i < 5; i++) {
                fused[i] = Variable.parameter(values[i].clone());
                plain[i] = Variable.parameter(values[i].clone());
            }
            fused[0].linearRelu(fused[1], fused[2]).linear(fused[3], fused[4]).square().sum().backward();
            plain[0].linear(plain[1], plain[2]).relu().linear(plain[3], plain[4]).square().sum().backward();
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(plain[i].grad().toDoubleArray(), fused[i].grad().toDoubleArray(), 0.0,
                        dtype + " gradient " + i);
            }
        }
    }

    @Test
    void linearReluIsLinearThenRelu() {
        Rng rng = new Rng(9);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = Tensor.randn(rng, dtype, 3, 5, 7);
            Tensor w = Tensor.randn(rng, dtype, 6, 7);
            Tensor b = Tensor.randn(rng, dtype, 6);
            Tensor g = Tensor.randn(rng, dtype, 3, 5, 6);
            Variable[] fused = {Variable.parameter(x), Variable.parameter(w), Variable.parameter(b)};
            Variable[] plain = {Variable.parameter(x.clone()), Variable.parameter(w.clone()), Variable.parameter(b.clone())};
            Variable yf = fused[0].linearRelu(fused[1], fused[2]);
            Variable yp = plain[0].linear(plain[1], plain[2]).relu();
            assertArrayEquals(yp.value().toDoubleArray(), yf.value().toDoubleArray(), 0.0, dtype + " values");
            yf.backward(g);
            yp.backward(g);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(plain[i].grad().toDoubleArray(), fused[i].grad().toDoubleArray(), 0.0,
                        dtype + " gradient " + i);
            }
        }
    }

    @Test
    void broadcastBatchedMatmulGradientsMatchTheClosedForms() {
        // A [2, 1, 3, 4] @ B [3, 4, 5] = C [2, 3, 3, 5]; dA = sum over B's batch of G B^T, dB = sum over A's of A^T G
        Rng rng = new Rng(7);
        Tensor a = Tensor.randn(rng, DType.FLOAT64, 2, 1, 3, 4);
        Tensor b = Tensor.randn(rng, DType.FLOAT64, 3, 4, 5);
        Tensor g = Tensor.randn(rng, DType.FLOAT64, 2, 3, 3, 5);
        Variable va = Variable.parameter(a);
        Variable vb = Variable.parameter(b);
        Variable c = va.matmul(vb);
        assertArrayEquals(new int[] {2, 3, 3, 5}, c.shape().toArray());
        c.backward(g);

        double[] av = a.toDoubleArray();
        double[] bv = b.toDoubleArray();
        double[] gv = g.toDoubleArray();
        double[] da = new double[2 * 3 * 4];
        double[] db = new double[3 * 4 * 5];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int m = 0; m < 3; m++) {
                    for (int k = 0; k < 4; k++) {
                        for (int n = 0; n < 5; n++) {
                            double gmn = gv[((i * 3 + j) * 3 + m) * 5 + n];
                            da[(i * 3 + m) * 4 + k] += gmn * bv[(j * 4 + k) * 5 + n];
                            db[(j * 4 + k) * 5 + n] += av[(i * 3 + m) * 4 + k] * gmn;
                        }
                    }
                }
            }
        }
        assertArrayEquals(new int[] {2, 1, 3, 4}, va.grad().shape().toArray());
        assertArrayEquals(new int[] {3, 4, 5}, vb.grad().shape().toArray());
        assertArrayEquals(da, va.grad().toDoubleArray(), EXACT);
        assertArrayEquals(db, vb.grad().toDoubleArray(), EXACT);
    }

    @Test
    void vectorProductsMatchTheClosedForms() {
        double[] a = {1, -2, 3};
        double[] b = {0.5, 4, -1};
        Variable va = Variable.parameter(Tensor.of(a));
        Variable vb = Variable.parameter(Tensor.of(b));
        Variable d = va.dot(vb);
        assertEquals(0.5 - 8 - 3, d.item(), EXACT);
        d.mul(2).backward();
        assertArrayEquals(new double[] {1, 8, -2}, va.grad().toDoubleArray(), EXACT);
        assertArrayEquals(new double[] {2, -4, 6}, vb.grad().toDoubleArray(), EXACT);

        // outer: d/da_i sum_ij g_ij a_i b_j = sum_j g_ij b_j, d/db_j = sum_i g_ij a_i
        Variable oa = Variable.parameter(Tensor.of(a));
        Variable ob = Variable.parameter(Tensor.of(b[0], b[1]));
        double[] g = {1, 2, 3, 4, 5, 6};
        oa.outer(ob).backward(Tensor.of(g, 3, 2));
        assertArrayEquals(new double[] {0.5 + 8, 1.5 + 16, 2.5 + 24}, oa.grad().toDoubleArray(), EXACT);
        assertArrayEquals(new double[] {1 - 6 + 15, 2 - 8 + 18}, ob.grad().toDoubleArray(), EXACT);
    }

    @Test
    void softmaxCrossEntropyOfALinearModelHasTheClassicGradient() {
        // loss = -mean_n log softmax(X W)[n, y_n]; dL/dW = X^T (softmax(X W) - onehot(y)) / N
        int n = 5;
        int classes = 4;
        Rng rng = new Rng(9);
        Tensor x = Tensor.randn(rng, DType.FLOAT64, n, 3);
        Tensor w = Tensor.randn(rng, DType.FLOAT64, 3, classes);
        Tensor labels = Tensor.of(new long[] {2, 0, 3, 3, 1}, n);
        Tensor oneHot = labels.oneHot(classes).cast(DType.FLOAT64);

        Variable vw = Variable.parameter(w);
        Variable logits = Variable.constant(x).matmul(vw);
        Variable loss = logits.logSoftmax(-1).mul(Variable.constant(oneHot)).sum(1).mean().neg();
        loss.backward();

        Tensor expected = x.t().matmul(x.matmul(w).softmax(1).sub(oneHot)).div(n);
        assertArrayEquals(expected.toDoubleArray(), vw.grad().toDoubleArray(), EXACT);
        // the loss itself, from the same probabilities
        double[] p = x.matmul(w).softmax(1).toDoubleArray();
        long[] y = labels.toLongArray();
        double nll = 0;
        for (int i = 0; i < n; i++) {
            nll -= Math.log(p[i * classes + (int) y[i]]);
        }
        assertEquals(nll / n, loss.item(), EXACT);
    }
}
