package dev.descent.autograd;

import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

import static dev.descent.autograd.ClosedFormTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Functional} against references computed without it: Hessian-vector products against central
 * differences of first-order gradients, Jacobians and Hessians against finite differences and closed forms,
 * products against loops; and what the transforms must leave behind (no {@code .grad}, no graph).
 */
class FunctionalTest {
    private final GradInputs in = new GradInputs(7);

    // ------------------------------------------------------------------ a two-layer tanh MLP

    private static final int N = 5;
    private static final int IN = 3;
    private static final int HIDDEN = 4;
    private static final int OUT = 2;

    private final Tensor data = in.normal(N, IN);
    private final Tensor targets = in.normal(N, OUT);

    /** x W^T + b for x [N, in], W [out, in], b [out], without matmul. */
    private static Variable linear(Variable x, Variable w, Variable b) {
        return x.unsqueeze(1).mul(w.unsqueeze(0)).sum(2).add(b);
    }

    /** Mean squared error of the MLP with parameters (W1, b1, W2, b2). */
    private Variable mlpLoss(List<Variable> p) {
        Variable hidden = linear(Variable.constant(data), p.get(0), p.get(1)).tanh();
        return linear(hidden, p.get(2), p.get(3)).sub(Variable.constant(targets)).square().mean();
    }

    private List<Tensor> mlpPoint() {
        return List.of(in.normal(HIDDEN, IN), in.normal(HIDDEN), in.normal(OUT, HIDDEN), in.normal(OUT));
    }

    private List<Tensor> like(List<Tensor> ts) {
        List<Tensor> vs = new ArrayList<>();
        for (Tensor t : ts) {
            vs.add(in.normal(t.shape().toArray()));
        }
        return vs;
    }

    private static List<Variable> parameters(List<Tensor> ts) {
        List<Variable> ps = new ArrayList<>();
        for (Tensor t : ts) {
            ps.add(Variable.parameter(t));
        }
        return ps;
    }

    /** The first-order gradient of the MLP loss at θ + s v (no second-order machinery involved). */
    private double[] gradientAt(List<Tensor> theta, List<Tensor> v, double s) {
        List<Tensor> moved = new ArrayList<>();
        for (int i = 0; i < theta.size(); i++) {
            moved.add(theta.get(i).add(v.get(i).mul(s)));
        }
        List<Variable> ps = parameters(moved);
        return flat(Autograd.grad(mlpLoss(ps), ps, false).stream().map(Variable::value).toList());
    }

    private static double[] flat(List<Tensor> ts) {
        return ts.stream().flatMapToDouble(t -> java.util.Arrays.stream(t.toDoubleArray())).toArray();
    }

    @Test
    void hvpMatchesCentralDifferencesOfGradientsOnATanhMlp() {
        List<Tensor> theta = mlpPoint();
        List<Tensor> v = like(theta);
        List<Tensor> hv = Functional.hvp(this::mlpLoss, parameters(theta), v);
        for (int i = 0; i < theta.size(); i++) {
            assertEquals(theta.get(i).shape(), hv.get(i).shape(), "parameter " + i);
        }
        double eps = 1e-5;
        double[] plus = gradientAt(theta, v, eps);
        double[] minus = gradientAt(theta, v, -eps);
        double[] actual = flat(hv);
        double err = 0;
        double norm = 0;
        for (int i = 0; i < actual.length; i++) {
            double numeric = (plus[i] - minus[i]) / (2 * eps);
            err += (actual[i] - numeric) * (actual[i] - numeric);
            norm += numeric * numeric;
        }
        double relative = Math.sqrt(err / norm);
        assertTrue(norm > 1e-2, "the check needs a Hessian that is not tiny");
        assertTrue(relative < 1e-6, "relative error " + relative);
    }

    @Test
    void hvpTouchesNoGradAndReturnsNewTensors() {
        List<Tensor> theta = mlpPoint();
        List<Variable> ps = parameters(theta);
        Tensor earlier = Tensor.full(DType.FLOAT64, 3, OUT);
        ps.get(3).setGrad(earlier.clone());
        List<Tensor> v = like(theta);
        List<Tensor> hv = Functional.hvp(this::mlpLoss, ps, v);
        for (int i = 0; i < 3; i++) {
            assertNull(ps.get(i).grad(), "parameter " + i + " .grad");
            assertTrue(ps.get(i).isLeaf());
        }
        assertArrayEquals(earlier.toDoubleArray(), ps.get(3).grad().toDoubleArray(), 0.0);
        for (int i = 0; i < hv.size(); i++) {
            assertTrue(hv.get(i).isContiguous());
            assertTrue(hv.get(i).storage() != v.get(i).storage() && hv.get(i).storage() != theta.get(i).storage());
        }
    }

    @Test
    void hvpKeepsNoGraphAlive() throws InterruptedException {
        List<WeakReference<Variable>> made = new ArrayList<>();
        Function<List<Variable>, Variable> f = ps -> {
            Variable loss = mlpLoss(ps);
            made.add(new WeakReference<>(loss));
            return loss;
        };
        List<Tensor> theta = mlpPoint();
        List<Tensor> hv = Functional.hvp(f, parameters(theta), like(theta));
        assertNotNull(hv);
        // the loss is reachable only through a graph; once collected, no graph of the call is alive
        for (int attempt = 0; attempt < 50 && made.get(0).get() != null; attempt++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(made.get(0).get(), "the loss (and so its graph) is still reachable after hvp returned");
    }

    @Test
    void hvpRecordsEvenInsideNoGrad() {
        List<Tensor> theta = mlpPoint();
        List<Tensor> v = like(theta);
        double[] outside = flat(Functional.hvp(this::mlpLoss, parameters(theta), v));
        try (Autograd.Scope scope = Autograd.noGrad()) {
            assertArrayEquals(outside, flat(Functional.hvp(this::mlpLoss, parameters(theta), v)), 0.0);
            assertTrue(!Autograd.isGradEnabled(), "the scope is restored");
        }
    }

    @Test
    void hvpAcceptsConstantsAndAClosingFunction() {
        // constants are differentiated as fresh leaves; parameters as themselves, so f may close over them
        Tensor x = in.uniform(0.5, 1.5, 4);
        Tensor v = in.normal(4);
        double[] expected = x.square().mul(v).mul(3).toDoubleArray(); // d²/dx² of x⁴/4 is 3x²
        Function<Variable, Variable> quartic = xv -> xv.pow(4).sum().div(4);
        assertClose(expected, Functional.hvp(quartic, x, v).toDoubleArray(), 1e-14, "single tensor");
        Variable p = Variable.parameter(x);
        List<Tensor> closing = Functional.hvp(ignored -> quartic.apply(p), List.of(p), List.of(v));
        assertClose(expected, closing.get(0).toDoubleArray(), 1e-14, "closing over the parameter");
    }

    @Test
    void hvpOfLinearOrUnusedParametersIsZero() {
        Tensor c = in.normal(3);
        Variable a = Variable.parameter(in.normal(3));
        Variable b = Variable.parameter(in.normal(3));
        Variable unused = Variable.parameter(in.normal(2));
        Tensor va = in.normal(3);
        // f = Σ a² + Σ b c: H_aa = 2 I, and b enters linearly
        List<Tensor> hv = Functional.hvp(ps -> ps.get(0).square().sum().add(ps.get(1).mul(Variable.constant(c)).sum()),
                List.of(a, b, unused), List.of(va, in.normal(3), in.normal(2)));
        assertClose(va.mul(2).toDoubleArray(), hv.get(0).toDoubleArray(), 1e-15, "a");
        assertArrayEquals(new double[3], hv.get(1).toDoubleArray(), 0.0);
        assertArrayEquals(new double[2], hv.get(2).toDoubleArray(), 0.0);
        Tensor linear = Functional.hvp(x -> x.mul(Variable.constant(c)).sum(), in.normal(3), in.normal(3));
        assertArrayEquals(new double[3], linear.toDoubleArray(), 0.0);
    }

    @Test
    void hvpMisuseFailsClearly() {
        Tensor x = in.normal(3);
        var notScalar = assertThrows(IllegalArgumentException.class,
                () -> Functional.hvp(Variable::exp, x, in.normal(3)));
        assertTrue(notScalar.getMessage().contains("hvp") && notScalar.getMessage().contains("[3]"),
                notScalar.getMessage());
        List<Variable> ps = List.of(Variable.parameter(in.normal(2)), Variable.parameter(in.normal(3)));
        Function<List<Variable>, Variable> f = vs -> vs.get(0).sum().mul(vs.get(1).sum());
        var count = assertThrows(IllegalArgumentException.class, () -> Functional.hvp(f, ps, List.of(in.normal(2))));
        assertTrue(count.getMessage().contains("2 inputs but 1"), count.getMessage());
        var shape = assertThrows(IllegalArgumentException.class,
                () -> Functional.hvp(f, ps, List.of(in.normal(2), in.normal(4))));
        assertTrue(shape.getMessage().contains("v[1] has shape [4]") && shape.getMessage().contains("[3]"),
                shape.getMessage());
        var dtype = assertThrows(IllegalArgumentException.class,
                () -> Functional.hvp(f, ps, List.of(in.normal(2), in.normal(3).cast(DType.FLOAT32))));
        assertTrue(dtype.getMessage().contains("FLOAT32"), dtype.getMessage());
        var integer = assertThrows(IllegalArgumentException.class,
                () -> Functional.hvp(v -> v.sum(), Tensor.of(1L, 2L), Tensor.of(1L, 2L)));
        assertTrue(integer.getMessage().contains("INT64"), integer.getMessage());
    }

    // ------------------------------------------------------------------ Jacobians

    /** A function of x [4] with 3 outputs that mixes the elements: a finite-difference target. */
    private static Variable mixing(Variable x) {
        Variable a = x.square().mul(x.sin()).sum();
        Variable b = x.select(0, 0).mul(x.select(0, 1)).mul(x.select(0, 3).exp());
        Variable c = x.exp().sum().log();
        return Variable.stack(0, a, b, c);
    }

    /** Central differences of f, evaluated on tensors with recording off. */
    private static double[] numericJacobian(Function<Variable, Variable> f, Tensor x, double eps) {
        double[] base = x.toDoubleArray();
        double[] jt = null;
        int m = 0;
        for (int j = 0; j < base.length; j++) {
            double[] plus = evaluate(f, base, j, eps, x.shape());
            double[] minus = evaluate(f, base, j, -eps, x.shape());
            if (jt == null) {
                m = plus.length;
                jt = new double[m * base.length];
            }
            for (int i = 0; i < m; i++) {
                jt[i * base.length + j] = (plus[i] - minus[i]) / (2 * eps);
            }
        }
        return jt;
    }

    private static double[] evaluate(Function<Variable, Variable> f, double[] base, int j, double delta, Shape shape) {
        double[] moved = base.clone();
        moved[j] += delta;
        try (Autograd.Scope scope = Autograd.noGrad()) {
            return f.apply(Variable.constant(Tensor.of(moved, shape.toArray()))).value().toDoubleArray();
        }
    }

    @Test
    void jacobianMatchesCentralDifferences() {
        Tensor x = in.uniform(-1, 1, 4);
        Tensor j = Functional.jacobian(FunctionalTest::mixing, x);
        assertEquals(Shape.of(3, 4), j.shape());
        assertClose(numericJacobian(FunctionalTest::mixing, x, 1e-6), j.toDoubleArray(), 1e-8, "jacobian");
    }

    @Test
    void jacobianShapeIsOutputShapeThenInputShape() {
        // f(X) = 2 sin(Xᵀ) for X [2, 3]: J[i, j, k, l] = 2 cos(X[k, l]) where (i, j) = (l, k)
        Tensor x = in.normal(2, 3);
        Tensor j = Functional.jacobian(v -> v.t().sin().mul(2), x);
        assertEquals(Shape.of(3, 2, 2, 3), j.shape());
        double[] xs = x.toDoubleArray();
        double[] expected = new double[36];
        for (int k = 0; k < 2; k++) {
            for (int l = 0; l < 3; l++) {
                expected[((l * 2 + k) * 2 + k) * 3 + l] = 2 * Math.cos(xs[k * 3 + l]);
            }
        }
        assertClose(expected, j.toDoubleArray(), 1e-15, "transposed sine");

        Tensor scalar = Functional.jacobian(v -> v.pow(3), Tensor.scalar(DType.FLOAT64, 2));
        assertEquals(Shape.scalar(), scalar.shape());
        assertEquals(12, scalar.item(), 1e-12);

        Tensor single = Functional.jacobian(v -> v.square().sum(), Tensor.of(1f, -2f));
        assertEquals(DType.FLOAT32, single.dtype());
        assertArrayEquals(new double[] {2, -4}, single.toDoubleArray(), 0.0);
    }

    @Test
    void vjpAndJvpMatchLoopsOverTheClosedFormJacobian() {
        // f(A, x) = tanh(A x): ∂f/∂x = diag(s) A and ∂f_i/∂A_kl = s_i [i = k] x_l, with s = 1 − tanh²(A x)
        int m = 3;
        int n = 4;
        Tensor a = in.normal(m, n).mul(0.5);
        Tensor x = in.normal(n);
        double[] aa = a.toDoubleArray();
        double[] xx = x.toDoubleArray();
        double[] s = new double[m];
        for (int i = 0; i < m; i++) {
            double z = 0;
            for (int l = 0; l < n; l++) {
                z += aa[i * n + l] * xx[l];
            }
            s[i] = 1 - Math.tanh(z) * Math.tanh(z);
        }
        Function<List<Variable>, Variable> f = vs -> vs.get(0).mul(vs.get(1).unsqueeze(0)).sum(1).tanh();
        List<Variable> inputs = List.of(Variable.constant(a), Variable.constant(x));

        double[] v = in.normal(m).toDoubleArray();
        double[] vjpA = new double[m * n];
        double[] vjpX = new double[n];
        for (int i = 0; i < m; i++) {
            for (int l = 0; l < n; l++) {
                vjpA[i * n + l] = v[i] * s[i] * xx[l];
                vjpX[l] += v[i] * s[i] * aa[i * n + l];
            }
        }
        Functional.VjpResult vjp = Functional.vjp(f, inputs, Tensor.of(v));
        assertEquals(Shape.of(m), vjp.output().shape());
        assertClose(vjpA, vjp.vjp().get(0).toDoubleArray(), 1e-14, "vjp A");
        assertClose(vjpX, vjp.vjp().get(1).toDoubleArray(), 1e-14, "vjp x");

        Tensor ua = in.normal(m, n);
        Tensor ux = in.normal(n);
        double[] uaa = ua.toDoubleArray();
        double[] uxx = ux.toDoubleArray();
        double[] jv = new double[m];
        for (int i = 0; i < m; i++) {
            for (int l = 0; l < n; l++) {
                jv[i] += s[i] * (uaa[i * n + l] * xx[l] + aa[i * n + l] * uxx[l]);
            }
        }
        Functional.JvpResult jvp = Functional.jvp(f, inputs, List.of(ua, ux));
        assertArrayEquals(vjp.output().toDoubleArray(), jvp.output().toDoubleArray(), 0.0);
        assertClose(jv, jvp.jvp().toDoubleArray(), 1e-14, "jvp");
    }

    @Test
    void vjpOfAScalarMayLeaveVOut() {
        Tensor x = in.normal(3);
        Functional.VjpResult r = Functional.vjp(vs -> vs.get(0).sin().sum(), List.of(Variable.constant(x)), null);
        assertClose(x.cos().toDoubleArray(), r.vjp().get(0).toDoubleArray(), 1e-15, "cos");
        var e = assertThrows(IllegalArgumentException.class,
                () -> Functional.vjp(vs -> vs.get(0).sin(), List.of(Variable.constant(x)), null));
        assertTrue(e.getMessage().contains("vjp") && e.getMessage().contains("[3]"), e.getMessage());
    }

    // ------------------------------------------------------------------ Hessians

    @Test
    void hessianOfRosenbrockMatchesTheClosedForm() {
        Function<Variable, Variable> rosenbrock = v -> {
            Variable x = v.select(0, 0);
            Variable y = v.select(0, 1);
            return x.rsub(1).square().add(y.sub(x.square()).square().mul(100));
        };
        for (double[] p : new double[][] {{1, 1}, {-1.2, 1}, {0.3, -0.7}}) {
            double x = p[0];
            double y = p[1];
            double[] expected = {2 - 400 * (y - x * x) + 800 * x * x, -400 * x, -400 * x, 200};
            Tensor h = Functional.hessian(rosenbrock, Tensor.of(p));
            assertEquals(Shape.of(2, 2), h.shape());
            assertClose(expected, h.toDoubleArray(), 1e-13, "at (" + x + ", " + y + ")");
        }
    }

    @Test
    void hessianOfLogSumExpIsDiagPMinusPPt() {
        Tensor x = in.normal(2, 3);
        double[] xs = x.toDoubleArray();
        double z = 0;
        for (double xi : xs) {
            z += Math.exp(xi);
        }
        double[] expected = new double[36];
        for (int i = 0; i < 6; i++) {
            double pi = Math.exp(xs[i]) / z;
            for (int j = 0; j < 6; j++) {
                expected[i * 6 + j] = (i == j ? pi : 0) - pi * Math.exp(xs[j]) / z;
            }
        }
        Tensor h = Functional.hessian(v -> v.exp().sum().log(), x);
        assertEquals(Shape.of(2, 3, 2, 3), h.shape());
        assertClose(expected, h.toDoubleArray(), 1e-14, "log-sum-exp");
    }

    @Test
    void hessianMatchesDifferencesOfGradients() {
        Function<Variable, Variable> f = v -> mixing(v).square().sum();
        Tensor x = in.uniform(-1, 1, 4);
        Function<Variable, Variable> gradient = v -> {
            Variable leaf = Variable.parameter(v.value());
            try (Autograd.Scope scope = Autograd.enableGrad()) {
                return Autograd.grad(f.apply(leaf), leaf);
            }
        };
        double[] numeric = numericJacobian(gradient, x, 1e-6);
        assertClose(numeric, Functional.hessian(f, x).toDoubleArray(), 1e-7, "hessian");
    }

    @Test
    void hessianMisuseAndDegenerateCases() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Functional.hessian(v -> v.square(), in.normal(2, 2)));
        assertTrue(e.getMessage().contains("hessian") && e.getMessage().contains("[2, 2]")
                && e.getMessage().contains("jacobian"), e.getMessage());
        Tensor linear = Functional.hessian(v -> v.mul(3).sum(), in.normal(3));
        assertEquals(Shape.of(3, 3), linear.shape());
        assertArrayEquals(new double[9], linear.toDoubleArray(), 0.0);
        Tensor constant = Functional.hessian(v -> Variable.constant(Tensor.scalar(DType.FLOAT64, 1)), in.normal(2));
        assertArrayEquals(new double[4], constant.toDoubleArray(), 0.0);
    }
}
