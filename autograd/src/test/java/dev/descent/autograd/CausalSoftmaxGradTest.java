package dev.descent.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link Variable#causalSoftmax} against the composition it replaces in attention (scale, -inf added at the
 * positions j > i, softmax): the same values, gradients (the fused first-order kernel) and Hessian-vector
 * products (the differentiable rule); and no NaN from the masked positions. Central-difference checks of
 * the first and second derivatives are in {@link ReductionsGradTest}.
 */
class CausalSoftmaxGradTest {
    private static final double SCALE = 0.45;

    private static Tensor above(int lq, int lk) {
        return Tensor.arange(lk).unsqueeze(0).gt(Tensor.arange(lq).unsqueeze(1));
    }

    /** scale, -inf penalty, softmax: what attention computed before the fused operation. */
    private static Variable composed(Variable x) {
        Tensor penalty = Tensor.zeros(x.dtype(), x.size(-2), x.size(-1))
                .maskedFill(above(x.size(-2), x.size(-1)), Double.NEGATIVE_INFINITY);
        return x.mul(SCALE).add(Variable.constant(penalty)).softmax(-1);
    }

    /** A loss whose gradient reaching the softmax depends on its output: sum(sin(y) * w). */
    private static Function<Variable, Variable> loss(Function<Variable, Variable> softmax, Tensor w) {
        return x -> softmax.apply(x).sin().mul(Variable.constant(w)).sum();
    }

    private static double[] gradient(Function<Variable, Variable> f, Tensor x) {
        Variable v = Variable.parameter(x);
        f.apply(v).backward();
        return v.grad().toDoubleArray();
    }

    @Test
    void valuesGradientsAndHessianVectorProductsEqualTheComposedOperations() {
        Rng rng = new Rng(51);
        for (int[] shape : new int[][] {{5, 5}, {2, 3, 6}, {2, 6, 3}}) {
            Tensor x = Tensor.randn(rng, DType.FLOAT64, shape);
            Tensor w = Tensor.randn(rng, DType.FLOAT64, shape);
            Tensor u = Tensor.randn(rng, DType.FLOAT64, shape);
            Function<Variable, Variable> fused = loss(v -> v.causalSoftmax(SCALE), w);
            Function<Variable, Variable> reference = loss(CausalSoftmaxGradTest::composed, w);
            assertEquals(reference.apply(Variable.constant(x)).value().item(), fused.apply(Variable.constant(x)).value().item(),
                    1e-14, "loss " + x.shape());
            assertArrayEquals(gradient(reference, x), gradient(fused, x), 1e-14, "gradient " + x.shape());
            assertArrayEquals(Functional.hvp(reference, x, u).toDoubleArray(), Functional.hvp(fused, x, u).toDoubleArray(),
                    1e-13, "Hessian-vector product " + x.shape());
        }
    }

    @Test
    void float32GradientsAgreeWithTheComposedOperations() {
        Rng rng = new Rng(52);
        Tensor x = Tensor.randn(rng, DType.FLOAT32, 3, 8, 8);
        Tensor w = Tensor.randn(rng, DType.FLOAT32, 3, 8, 8);
        assertArrayEquals(gradient(loss(CausalSoftmaxGradTest::composed, w), x),
                gradient(loss(v -> v.causalSoftmax(SCALE), w), x), 1e-6);
    }

    @Test
    void nonFiniteScoresAtMaskedPositionsReachNeitherValuesNorGradients() {
        Rng rng = new Rng(53);
        Tensor x = Tensor.randn(rng, DType.FLOAT64, 2, 4, 4);
        Tensor w = Tensor.randn(rng, DType.FLOAT64, 2, 4, 4);
        Tensor u = Tensor.randn(rng, DType.FLOAT64, 2, 4, 4);
        Function<Variable, Variable> f = loss(v -> v.causalSoftmax(SCALE), w);
        double[] clean = gradient(f, x);
        double[] cleanHvp = Functional.hvp(f, x, u).toDoubleArray();
        for (double poison : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            Tensor poisoned = x.maskedFill(above(4, 4), poison);
            assertArrayEquals(clean, gradient(f, poisoned), 0, "gradient with " + poison + " where masked");
            assertArrayEquals(cleanHvp, Functional.hvp(f, poisoned, u).toDoubleArray(), 0,
                    "Hessian-vector product with " + poison + " where masked");
        }
        for (int i = 0; i < clean.length; i++) {
            int row = (i / 4) % 4;
            if (i % 4 > row) {
                assertEquals(0.0, clean[i], "a masked score does not change the output");
            } else {
                assertTrue(Double.isFinite(clean[i]));
            }
        }
    }
}
