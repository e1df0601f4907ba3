package dev.descent.autograd;

import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * mul's rule when the incoming gradient is a constant 1 spread by {@code sum} ({@link Pointwise#timesGradient}):
 * the gradient is the other factor itself. Checked against the values the plain rule gives (the other factor,
 * scaled, repeated or reduced, written out here), in the cases that must not take the shortcut, through a second
 * order, and for aliasing: {@code .grad} must not share the other factor's storage.
 */
class MulSpreadOneTest {
    @Test
    void gradientOfSumOfProductIsTheOtherFactorExactly() {
        Rng rng = new Rng(3);
        Variable a = Variable.parameter(Tensor.randn(rng, 5, 7));
        Tensor v = Tensor.randn(rng, 5, 7);
        Variable g = Autograd.grad(a.mul(Variable.constant(v)).sum(), List.of(a), false).get(0);
        assertArrayEquals(v.toFloatArray(), g.value().toFloatArray());
        assertSame(v.storage(), g.value().storage(), "the shortcut: no product, no new array");
    }

    @Test
    void aSeedOtherThanOneIsMultiplied() {
        Rng rng = new Rng(4);
        Variable a = Variable.parameter(Tensor.randn(rng, 4, 3));
        Tensor v = Tensor.randn(rng, 4, 3);
        Variable g = Autograd.grad(a.mul(Variable.constant(v)).sum().mul(3.0), List.of(a), false).get(0);
        float[] expected = v.toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            expected[i] *= 3f;
        }
        assertArrayEquals(expected, g.value().toFloatArray());
    }

    @Test
    void aBroadcastFactorIsRepeatedOrSummed() {
        Rng rng = new Rng(5);
        Variable a = Variable.parameter(Tensor.randn(rng, 3, 4));
        Variable b = Variable.parameter(Tensor.randn(rng, 4));
        List<Variable> g = Autograd.grad(a.mul(b).sum(), List.of(a, b), false);
        float[] bv = b.value().toFloatArray();
        float[] av = a.value().toFloatArray();
        float[] ga = g.get(0).value().toFloatArray();
        float[] gb = g.get(1).value().toFloatArray();
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(bv[c], ga[r * 4 + c]);
            }
        }
        for (int c = 0; c < 4; c++) {
            assertEquals(av[c] + av[4 + c] + av[8 + c], gb[c], 1e-6);
        }
    }

    @Test
    void secondOrderThroughTheOtherFactor() {
        Rng rng = new Rng(7);
        Variable a = Variable.parameter(Tensor.randn(rng, 2, 3));
        Variable b = Variable.parameter(Tensor.randn(rng, 2, 3));
        Tensor w = Tensor.randn(rng, 2, 3);
        // d/da sum(a b) = b; then d/db sum(b w) = w
        Variable ga = Autograd.grad(a.mul(b).sum(), List.of(a), true).get(0);
        Variable gb = Autograd.grad(ga.mul(Variable.constant(w)).sum(), List.of(b), false).get(0);
        assertArrayEquals(w.toFloatArray(), gb.value().toFloatArray());
    }

    @Test
    void leafGradientIsACopy() {
        Rng rng = new Rng(8);
        Variable a = Variable.parameter(Tensor.randn(rng, 4));
        Tensor v = Tensor.randn(rng, 4);
        float[] before = v.toFloatArray();
        a.mul(Variable.constant(v)).sum().backward();
        assertNotSame(v, a.grad());
        a.grad().add_(100.0); // an optimizer updating .grad in place must not reach v
        assertArrayEquals(before, v.toFloatArray());
    }
}
