package dev.descent.autograd;

import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Second and third derivatives against closed forms, whose reference values are computed with plain loops
 * over double arrays (never with autograd): the Hessian of a quadratic and of logistic regression, and third
 * derivatives of sin, exp and x^p by three nested {@code grad(..., createGraph)}.
 */
class ClosedFormTest {
    private final GradInputs in = new GradInputs(2024);

    /** {@code A x} without matmul: {@code (A x)_i = Σ_j A_ij x_j}. */
    private static Variable matVec(Variable a, Variable x) {
        return a.mul(x.unsqueeze(0)).sum(1);
    }

    /** f(x) = ½ xᵀ A x + bᵀ x. */
    private static Function<Variable, Variable> quadratic(Tensor a, Tensor b) {
        Variable av = Variable.constant(a);
        Variable bv = Variable.constant(b);
        return x -> x.mul(matVec(av, x)).sum().mul(0.5).add(bv.mul(x).sum());
    }

    /** A symmetric matrix, exactly: a_ij = m_ij + m_ji = a_ji. */
    private Tensor symmetric(int n) {
        Tensor m = in.normal(n, n);
        return m.add(m.t()).contiguous();
    }

    @Test
    void quadraticWithSymmetricAHasHessianExactlyA() {
        int n = 5;
        Tensor a = symmetric(n);
        Tensor h = Functional.hessian(quadratic(a, in.normal(n)), in.normal(n));
        assertEquals(Shape.of(n, n), h.shape());
        assertArrayEquals(a.toDoubleArray(), h.toDoubleArray(), 0.0);
    }

    @Test
    void quadraticHessianIsTheSymmetricPartOfA() {
        int n = 4;
        double[] a = in.normal(n, n).toDoubleArray();
        double[] expected = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                expected[i * n + j] = (a[i * n + j] + a[j * n + i]) / 2;
            }
        }
        Tensor h = Functional.hessian(quadratic(Tensor.of(a, n, n), in.normal(n)), in.normal(n));
        assertArrayEquals(expected, h.toDoubleArray(), 0.0);
    }

    @Test
    void quadraticHvpIsAv() {
        int n = 6;
        Tensor a = symmetric(n);
        Function<Variable, Variable> f = quadratic(a, in.normal(n));
        Tensor x = in.normal(n);
        double[] aa = a.toDoubleArray();
        // a basis vector picks a column of A: exact
        for (int j = 0; j < n; j++) {
            double[] e = new double[n];
            e[j] = 1;
            double[] column = new double[n];
            for (int i = 0; i < n; i++) {
                column[i] = aa[i * n + j];
            }
            assertArrayEquals(column, Functional.hvp(f, x, Tensor.of(e)).toDoubleArray(), 0.0, "column " + j);
        }
        double[] v = in.normal(n).toDoubleArray();
        double[] av = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                av[i] += aa[i * n + j] * v[j];
            }
        }
        assertArrayEquals(av, Functional.hvp(f, x, Tensor.of(v)).toDoubleArray(), 1e-12);
    }

    // ------------------------------------------------------------------ logistic regression

    private static final int N = 12;
    private static final int D = 4;

    /** mean(log(1 + exp(-y · Xw))) with labels ±1. */
    private static Variable logisticLoss(Variable w, Tensor x, Tensor y) {
        Variable margin = matVec(Variable.constant(x), w).mul(Variable.constant(y));
        return margin.neg().exp().log1p().mean();
    }

    /** The same loss as binary cross-entropy of sigmoid(Xw) against labels t = (1 + y) / 2 in {0, 1}. */
    private static Variable crossEntropyLoss(Variable w, Tensor x, Tensor y) {
        Variable p = matVec(Variable.constant(x), w).sigmoid();
        Variable t = Variable.constant(y.add(1).mul(0.5));
        return t.mul(p.log()).add(t.rsub(1).mul(p.rsub(1).log())).mean().neg();
    }

    static Stream<Arguments> logisticForms() {
        return Stream.of(
                Arguments.of("log(1 + exp(-y Xw))", (Loss) ClosedFormTest::logisticLoss),
                Arguments.of("binary cross-entropy of sigmoid(Xw)", (Loss) ClosedFormTest::crossEntropyLoss));
    }

    interface Loss {
        Variable apply(Variable w, Tensor x, Tensor y);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logisticForms")
    void logisticRegressionHessianIsXtSX(String name, Loss loss) {
        Tensor x = in.normal(N, D);
        Tensor y = in.normal(N).sign();
        Tensor w = in.normal(D).mul(0.7);
        double[] expected = logisticHessian(x.toDoubleArray(), w.toDoubleArray());
        Function<Variable, Variable> f = wv -> loss.apply(wv, x, y);

        Tensor h = Functional.hessian(f, w);
        assertEquals(Shape.of(D, D), h.shape());
        assertClose(expected, h.toDoubleArray(), 1e-12, name + " hessian");

        double[] v = in.normal(D).toDoubleArray();
        double[] hv = new double[D];
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                hv[i] += expected[i * D + j] * v[j];
            }
        }
        assertClose(hv, Functional.hvp(f, w, Tensor.of(v)).toDoubleArray(), 1e-12, name + " hvp");
    }

    /** (1/N) Σ_n σ(z_n)(1 − σ(z_n)) x_n x_nᵀ with z_n = x_n · w (the sign of y does not change σ(1 − σ)). */
    private static double[] logisticHessian(double[] x, double[] w) {
        double[] h = new double[D * D];
        for (int n = 0; n < N; n++) {
            double z = 0;
            for (int j = 0; j < D; j++) {
                z += x[n * D + j] * w[j];
            }
            double s = 1 / (1 + Math.exp(-z));
            double weight = s * (1 - s) / N;
            for (int i = 0; i < D; i++) {
                for (int j = 0; j < D; j++) {
                    h[i * D + j] += weight * x[n * D + i] * x[n * D + j];
                }
            }
        }
        return h;
    }

    // ------------------------------------------------------------------ third derivatives

    private record Derivatives(String name, Function<Variable, Variable> f, DoubleUnaryOperator d1,
                               DoubleUnaryOperator d2, DoubleUnaryOperator d3, double[] points) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final double[] ANY = {-2.3, -1.1, -0.4, 0.2, 0.9, 2.6};
    private static final double[] POSITIVE = {0.3, 0.8, 1.5, 2.2, 3.7};

    static Stream<Derivatives> elementwise() {
        return Stream.of(
                new Derivatives("sin", Variable::sin, Math::cos, x -> -Math.sin(x), x -> -Math.cos(x), ANY),
                new Derivatives("exp", Variable::exp, Math::exp, Math::exp, Math::exp, ANY),
                power(3, ANY),
                power(2, ANY),
                power(2.5, POSITIVE),
                power(-1.5, POSITIVE));
    }

    private static Derivatives power(double p, double[] points) {
        return new Derivatives("x^" + p, x -> x.pow(p),
                x -> p * Math.pow(x, p - 1),
                x -> p * (p - 1) * Math.pow(x, p - 2),
                x -> p * (p - 1) * (p - 2) * Math.pow(x, p - 3), points);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("elementwise")
    void thirdDerivativeByThreeNestedGrads(Derivatives c) {
        // elementwise, so the gradient of the sum is the derivative at each point
        Variable x = Variable.parameter(Tensor.of(c.points));
        Variable d1 = Autograd.grad(c.f.apply(x).sum(), List.of(x), true).get(0);
        Variable d2 = Autograd.grad(d1.sum(), List.of(x), true).get(0);
        Variable d3 = Autograd.grad(d2.sum(), List.of(x), false).get(0);
        assertClose(map(c.d1, c.points), d1.value().toDoubleArray(), 1e-13, c.name + "'");
        assertClose(map(c.d2, c.points), d2.value().toDoubleArray(), 1e-13, c.name + "''");
        assertClose(map(c.d3, c.points), d3.value().toDoubleArray(), 1e-13, c.name + "'''");
        assertTrue(d2.requiresGrad() && !d3.requiresGrad(), "only createGraph passes record");
    }

    private static double[] map(DoubleUnaryOperator f, double[] xs) {
        double[] ys = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            ys[i] = f.applyAsDouble(xs[i]);
        }
        return ys;
    }

    /** Every element within {@code tol · max(1, |expected|)}. */
    static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            assertTrue(err <= tol * Math.max(1, Math.abs(expected[i])),
                    what + ": element " + i + " is " + actual[i] + ", expected " + expected[i] + " (error " + err + ")");
        }
    }
}
