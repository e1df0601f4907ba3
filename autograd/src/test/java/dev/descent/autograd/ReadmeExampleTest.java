package dev.descent.autograd;

import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's "Gradients in Java" snippet, as written there, with its results checked. */
class ReadmeExampleTest {
    @Test
    void theReadmeSnippetRunsAndAgreesWithItself() {
        Rng rng = new Rng(42);
        // --- as in the README
        Variable w = Variable.parameter(Tensor.randn(rng, 3, 2)); // a leaf that requires a gradient
        Variable x = Variable.constant(Tensor.randn(rng, 8, 3));  // data
        Variable loss = x.matmul(w).tanh().square().mean();       // the same operations as Tensor
        loss.backward();                                          // accumulates into w.grad()
        Variable fresh = x.matmul(w).tanh().square().mean();       // backward freed the first graph
        Variable g = Autograd.grad(fresh, List.of(w), true).get(0);
        Variable penalty = g.square().sum();                       // e.g. a gradient-norm penalty, differentiable
        Tensor v = Tensor.randn(rng, 3, 2);
        Tensor hv = Functional.hvp(p -> x.matmul(p).tanh().square().mean(), w.value(), v);
        // --- checks: backward and grad agree; the penalty has a gradient; H v is linear in v
        assertArrayEquals(w.grad().toFloatArray(), g.value().toFloatArray(), 1e-7f);
        assertTrue(penalty.requiresGrad());
        Tensor hv2 = Functional.hvp(p -> x.matmul(p).tanh().square().mean(), w.value(), v.mul(2));
        assertArrayEquals(hv.mul(2).toFloatArray(), hv2.toFloatArray(), 1e-6f);
    }
}
