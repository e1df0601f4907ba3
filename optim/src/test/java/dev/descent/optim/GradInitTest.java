package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GradInit (spec {@code optimizers.md} §14) on small functions written with autograd variables: a
 * least-squares linear model, whose optimal scale is known in closed form, and a two-layer tanh network.
 */
class GradInitTest {
    private static final int N = 4;
    private static final int M = 8;

    /** A batch of inputs and targets. */
    record Data(Tensor x, Tensor y) {
    }

    // ------------------------------------------------------------------ least squares: L = ½ mean (xᵀθ − y)²

    private static final class Quadratic {
        final double[][] x = new double[M][N];
        final double[] y = new double[M];
        final double[] theta0 = new double[N];
        final double[] thetaStar = new double[N];
        final Data data;

        Quadratic(long seed) {
            Rng rng = new Rng(seed);
            for (int j = 0; j < N; j++) {
                theta0[j] = rng.nextGaussian() * 0.5;
                thetaStar[j] = 2 * theta0[j] + 0.3 * rng.nextGaussian();
            }
            double[] flat = new double[M * N];
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) {
                    x[i][j] = rng.nextGaussian() * 0.7;
                    flat[i * N + j] = x[i][j];
                    y[i] += x[i][j] * thetaStar[j];
                }
            }
            data = new Data(Tensor.of(flat, M, N), Tensor.of(y.clone(), M));
        }

        Map<String, Variable> params() {
            Map<String, Variable> p = new LinkedHashMap<>();
            p.put("fc.weight", Variable.parameter(Tensor.of(theta0.clone(), N)));
            return p;
        }

        GradInit.Loss<Data> loss(Variable theta) {
            return GradInit.Loss.averaging(d -> Variable.constant(d.x()).matmul(theta)
                    .sub(Variable.constant(d.y())).square().mean().mul(0.5));
        }

        /** H = XᵀX/M. */
        double[][] hessian() {
            double[][] h = new double[N][N];
            for (int a = 0; a < N; a++) {
                for (int b = 0; b < N; b++) {
                    for (int i = 0; i < M; i++) {
                        h[a][b] += x[i][a] * x[i][b] / M;
                    }
                }
            }
            return h;
        }

        /** α with θ⁰ᵀ A (αθ⁰ − θ*) = 0. */
        double alphaFor(double[][] a) {
            return quad(theta0, a, thetaStar) / quad(theta0, a, theta0);
        }
    }

    private static double quad(double[] u, double[][] a, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            for (int j = 0; j < v.length; j++) {
                s += u[i] * a[i][j] * v[j];
            }
        }
        return s;
    }

    private static double[][] mul(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    private static double[][] identityMinus(double eta, double[][] h) {
        int n = h.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                c[i][j] = (i == j ? 1 : 0) - eta * h[i][j];
            }
        }
        return c;
    }

    @Test
    void officialFirstOrderScaleReachesClosedForm() {
        // The official code detaches the step, so α stops where ⟨∇L(θ'), θ⁰⟩ = 0:
        // θ⁰ᵀ H (I − ηH) (αθ⁰ − θ*) = 0.
        Quadratic q = new Quadratic(3);
        double eta = 0.2;
        double expected = q.alphaFor(mul(q.hessian(), identityMinus(eta, q.hessian())));
        Map<String, Variable> params = q.params();
        GradInit gi = new GradInit(params, new GradInit.Options().gradinitIters(1500).gradinitEta(eta)
                .gradinitLr(0.01).gradinitGradClip(0));
        GradInit.Result r = gi.run(q.loss(params.get("fc.weight")), rng -> q.data);
        double alpha = r.scales().get("fc.weight");
        assertTrue(expected > 1.2, "the test wants a non-trivial optimum, got " + expected);
        assertEquals(expected, alpha, 0.02, "learned scale vs closed form");
        assertEquals(0, r.constraintCount());
        // the tensor holds α·θ⁰
        double[] now = params.get("fc.weight").value().toDoubleArray();
        for (int j = 0; j < N; j++) {
            assertEquals(alpha * q.theta0[j], now[j], 1e-9);
        }
    }

    @Test
    void secondOrderScaleMinimisesLossAfterOneStep() {
        // Differentiating through the step minimises J(α) = L(αθ⁰ − η∇L(αθ⁰))/η exactly:
        // α* = θ⁰ᵀAθ*/θ⁰ᵀAθ⁰ with A = (I − ηH) H (I − ηH).
        Quadratic q = new Quadratic(5);
        double eta = 0.2;
        double[][] h = q.hessian();
        double[][] a = mul(mul(identityMinus(eta, h), h), identityMinus(eta, h));
        double expected = q.alphaFor(a);
        Map<String, Variable> params = q.params();
        Variable theta = params.get("fc.weight");
        GradInit.Loss<Data> loss = q.loss(theta);
        // brute force agrees with the closed form
        double best = Double.NaN;
        double bestLoss = Double.POSITIVE_INFINITY;
        Tensor init = theta.value();
        for (int k = 0; k <= 4000; k++) {
            double s = k * 0.001;
            theta.setValue(init.mul(s));
            double l = GradInit.lossAfterStep(params, loss, List.of(q.data), List.of(q.data), GradInit.Alg.SGD, eta,
                    false);
            if (l < bestLoss) {
                bestLoss = l;
                best = s;
            }
        }
        theta.setValue(init);
        assertEquals(expected, best, 2e-3, "brute force vs closed form");

        GradInit gi = new GradInit(params, new GradInit.Options().gradinitIters(1500).gradinitEta(eta)
                .gradinitLr(0.01).gradinitGradClip(0).secondOrder(true));
        double alpha = gi.run(loss, rng -> q.data).scales().get("fc.weight");
        assertEquals(expected, alpha, 0.02, "learned scale vs argmin of the loss after one step");
    }

    // ------------------------------------------------------------------ a two-layer tanh network

    private static Map<String, Variable> tanhNet(long seed, double weightScale) {
        Rng rng = new Rng(seed);
        Map<String, Variable> p = new LinkedHashMap<>();
        p.put("fc1.weight", Variable.parameter(Tensor.randn(rng, DType.FLOAT64, 16, 6).mul(weightScale / Math.sqrt(6))));
        p.put("fc1.bias", Variable.parameter(Tensor.randn(rng, DType.FLOAT64, 16).mul(0.1)));
        p.put("fc2.weight", Variable.parameter(Tensor.randn(rng, DType.FLOAT64, 1, 16).mul(weightScale / 4)));
        p.put("fc2.bias", Variable.parameter(Tensor.randn(rng, DType.FLOAT64, 1).mul(0.1)));
        return p;
    }

    private static GradInit.Loss<Data> tanhLoss(Map<String, Variable> p) {
        return GradInit.Loss.averaging(d -> {
            Variable h = Variable.constant(d.x()).matmul(p.get("fc1.weight").t()).add(p.get("fc1.bias")).tanh();
            Variable out = h.matmul(p.get("fc2.weight").t()).add(p.get("fc2.bias")).reshape(-1);
            return out.sub(Variable.constant(d.y())).square().mean();
        });
    }

    /** Half-batches of 16 from a fixed smooth teacher, drawn with GradInit's generator. */
    private static Data sample(Rng rng) {
        Tensor x = Tensor.randn(rng, DType.FLOAT64, 16, 6);
        double[] xs = x.toDoubleArray();
        double[] y = new double[16];
        for (int i = 0; i < 16; i++) {
            y[i] = Math.sin(xs[i * 6]) + 0.5 * xs[i * 6 + 1] * xs[i * 6 + 2];
        }
        return new Data(x, Tensor.of(y, 16));
    }

    @Test
    void gammaConstraintBindsAndHolds() {
        Map<String, Variable> p = tanhNet(1, 4.0);
        GradInit.Loss<Data> loss = tanhLoss(p);
        List<Data> probe = List.of(sample(new Rng(99)), sample(new Rng(98)));
        double before = GradInit.gradNorm(p, loss, probe, GradInit.Alg.SGD);
        double gamma = before / 4;
        GradInit gi = new GradInit(p, new GradInit.Options().gradinitIters(300).gradinitEta(0.1).gradinitGamma(gamma)
                .gradinitLr(0.02).seed(7));
        GradInit.Result r = gi.run(loss, GradInitTest::sample);
        assertTrue(r.constraintCount() > 0, "the constraint should bind");
        assertTrue(r.history().get(0).constraint(), "the first iteration violates γ");
        // once GradInit has settled, the gradient norm stays near or under γ on the batches it sees
        List<GradInit.Step> tail = r.history().subList(200, 300);
        double meanTail = tail.stream().mapToDouble(GradInit.Step::gnorm).average().orElseThrow();
        assertTrue(meanTail <= gamma * 1.1, "mean gnorm over the last 100 iterations " + meanTail + " vs γ " + gamma);
        double after = GradInit.gradNorm(p, loss, probe, GradInit.Alg.SGD);
        assertTrue(after < before / 2.5, "gnorm " + before + " -> " + after + " (γ = " + gamma + ")");
        // constraint steps only shrink the scales of this over-scaled net
        assertTrue(r.scales().get("fc1.weight") < 1 || r.scales().get("fc2.weight") < 1, r.scales().toString());
    }

    @Test
    void adamVariantConstrainsTheL1Norm() {
        Map<String, Variable> p = tanhNet(2, 4.0);
        GradInit.Loss<Data> loss = tanhLoss(p);
        List<Data> probe = List.of(sample(new Rng(97)), sample(new Rng(96)));
        double before = GradInit.gradNorm(p, loss, probe, GradInit.Alg.ADAM);
        double gamma = before / 3;
        GradInit.Result r = new GradInit(p, new GradInit.Options().gradinitAlg(GradInit.Alg.ADAM).gradinitIters(300)
                .gradinitEta(1e-2).gradinitGamma(gamma).gradinitLr(0.02).seed(3)).run(loss, GradInitTest::sample);
        assertTrue(r.constraintCount() > 0);
        double after = GradInit.gradNorm(p, loss, probe, GradInit.Alg.ADAM);
        assertTrue(after < gamma * 1.3, "‖g‖₁ " + before + " -> " + after + " (γ = " + gamma + ")");
    }

    @Test
    void minScalesAreRespected() {
        // L = ½‖θ‖² prefers every α = 0: weights stop at gradinit_min_scale, biases at 0.
        Rng rng = new Rng(4);
        Map<String, Variable> p = new LinkedHashMap<>();
        p.put("lin.weight", Variable.parameter(Tensor.randn(rng, DType.FLOAT64, 3, 3)));
        p.put("lin.bias", Variable.parameter(Tensor.randn(rng, DType.FLOAT64, 3)));
        double w0 = p.get("lin.weight").value().norm(2).item();
        GradInit.Loss<Data> loss = halves -> p.get("lin.weight").square().sum().add(p.get("lin.bias").square().sum())
                .mul(0.5);
        GradInit.Result r = new GradInit(p, new GradInit.Options().gradinitIters(200).gradinitEta(0.1)
                .gradinitLr(0.05).gradinitMinScale(0.05)).run(loss, g -> null);
        assertEquals(0.05, r.scales().get("lin.weight"), 0.0);
        assertEquals(0.0, r.scales().get("lin.bias"), 0.0);
        assertEquals(0.05 * w0, p.get("lin.weight").value().norm(2).item(), 1e-12);
        assertEquals(0.0, p.get("lin.bias").value().norm(2).item(), 0.0);
    }

    @Test
    void maxScaleBoundsLayerNormScales() {
        // L = ½(⟨θ, c⟩ − t)² with the optimum at α = 50; a norm scale stops at gradinit_max_scale.
        Map<String, Variable> p = new LinkedHashMap<>();
        p.put("layers.0.norm1.weight", Variable.parameter(Tensor.of(0.1, 0.2, 0.1)));
        p.put("proj.weight", Variable.parameter(Tensor.of(0.1, 0.2, 0.1)));
        Tensor c = Tensor.of(1.0, 1.0, 1.0);
        double t = 50 * 0.4;
        GradInit.Loss<Data> loss = halves -> {
            Variable s1 = p.get("layers.0.norm1.weight").mul(Variable.constant(c)).sum().sub(t);
            Variable s2 = p.get("proj.weight").mul(Variable.constant(c)).sum().sub(t);
            return s1.square().add(s2.square()).mul(0.5);
        };
        assertEquals(GradInit.Kind.NORM, GradInit.defaultKind("layers.0.norm1.weight"));
        assertEquals(GradInit.Kind.WEIGHT, GradInit.defaultKind("proj.weight"));
        assertEquals(GradInit.Kind.BIAS, GradInit.defaultKind("layers.0.self_attn.in_proj_bias"));
        assertEquals(GradInit.Kind.FIXED, GradInit.defaultKind("positions.pe"));
        GradInit.Result r = new GradInit(p, new GradInit.Options().gradinitIters(600).gradinitEta(0.01)
                .gradinitLr(0.2).gradinitGradClip(0).gradinitMaxScale(3)).run(loss, g -> null);
        assertEquals(3.0, r.scales().get("layers.0.norm1.weight"), 0.0);
        assertTrue(r.scales().get("proj.weight") > 10, "a weight has no upper bound: " + r.scales());
    }

    @Test
    void lossAfterOneStepDecreases() {
        // A net initialised too large for a normalised SGD step of length η = 1 (the launch scripts' setting:
        // γ = 1, --gradinit-normalize-grad): GradInit lowers the loss after that step.
        Map<String, Variable> p = tanhNet(6, 3.0);
        GradInit.Loss<Data> loss = tanhLoss(p);
        List<Data> s0 = List.of(sample(new Rng(50)), sample(new Rng(51)));
        List<Data> s1 = List.of(sample(new Rng(50)), sample(new Rng(52)));
        double eta = 1.0;
        double before = GradInit.lossAfterStep(p, loss, s0, s1, GradInit.Alg.SGD, eta, true);
        GradInit.Result r = new GradInit(p, new GradInit.Options().gradinitIters(200).gradinitEta(eta)
                .gradinitGamma(1).gradinitNormalizeGrad(true).gradinitLr(0.02).seed(11)).run(loss, GradInitTest::sample);
        double after = GradInit.lossAfterStep(p, loss, s0, s1, GradInit.Alg.SGD, eta, true);
        assertTrue(after < before * 0.8, "loss after one step " + before + " -> " + after);
        List<Double> objectives = r.history().stream().filter(s -> !s.constraint())
                .map(GradInit.Step::objective).toList();
        assertTrue(objectives.size() > 40, "objective steps: " + objectives.size());
        double first = objectives.subList(0, 10).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = objectives.subList(objectives.size() - 10, objectives.size()).stream()
                .mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < first, "objective " + first + " -> " + last);
    }

    @Test
    void deterministicWithASeed() {
        GradInit.Options o1 = new GradInit.Options().gradinitIters(40).gradinitEta(0.3).gradinitGamma(2)
                .gradinitNormalizeGrad(true).gradinitLr(0.02).seed(21);
        GradInit.Options o2 = new GradInit.Options().gradinitIters(40).gradinitEta(0.3).gradinitGamma(2)
                .gradinitNormalizeGrad(true).gradinitLr(0.02).seed(21);
        Map<String, Variable> a = tanhNet(8, 2.0);
        Map<String, Variable> b = tanhNet(8, 2.0);
        GradInit.Result ra = new GradInit(a, o1).run(tanhLoss(a), GradInitTest::sample);
        GradInit.Result rb = new GradInit(b, o2).run(tanhLoss(b), GradInitTest::sample);
        assertEquals(ra, rb);
        for (String n : a.keySet()) {
            double[] va = a.get(n).value().toDoubleArray();
            double[] vb = b.get(n).value().toDoubleArray();
            for (int i = 0; i < va.length; i++) {
                assertEquals(va[i], vb[i], 0.0);
            }
        }
        Map<String, Variable> c = tanhNet(8, 2.0);
        GradInit.Result rc = new GradInit(c, new GradInit.Options().gradinitIters(40).gradinitEta(0.3)
                .gradinitGamma(2).gradinitNormalizeGrad(true).gradinitLr(0.02).seed(22))
                .run(tanhLoss(c), GradInitTest::sample);
        assertNotEquals(ra.scales(), rc.scales());
    }

    @Test
    void zeroInitialisedBiasesAreLeftAlone() {
        Map<String, Variable> p = tanhNet(9, 1.0);
        p.get("fc1.bias").setValue(Tensor.zeros(DType.FLOAT64, 16));
        GradInit.Result r = new GradInit(p, new GradInit.Options().gradinitIters(20).gradinitLr(0.05))
                .run(tanhLoss(p), GradInitTest::sample);
        assertEquals(1.0, r.scales().get("fc1.bias"), 0.0);
        assertFalse(r.scales().get("fc1.weight") == 1.0);
    }
}
