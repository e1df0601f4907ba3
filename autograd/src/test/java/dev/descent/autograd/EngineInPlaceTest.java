package dev.descent.autograd;

import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first-order pass's in-place work (see {@link Engine}): narrows' gradients added into their slices, sums of
 * gradients added into in place, and a gradient that a rule passes to two inputs never changed behind their
 * backs. Each expected gradient is written out here by hand, and the pass that records a graph (which runs
 * every rule as written) must agree.
 */
class EngineInPlaceTest {
    private static final Rng RNG = new Rng(3);

    private static Tensor random(int... shape) {
        return Tensor.randn(RNG, DType.FLOAT64, shape);
    }

    @Test
    void narrowsAddIntoTheirSlicesOfTheInputGradient() {
        Variable x = Variable.parameter(random(5, 3));
        Tensor c1 = random(2, 3);
        Tensor c2 = random(3, 3);
        Tensor c3 = random(5, 1);
        Tensor c4 = random(5, 3);
        Variable y = x.mul(2);
        Variable loss = y.narrow(0, 0, 2).mul(Variable.constant(c1)).sum()
                .add(y.narrow(0, 1, 3).mul(Variable.constant(c2)).sum()) // overlaps the first in row 1
                .add(y.narrow(1, 2, 1).mul(Variable.constant(c3)).sum())
                .add(y.mul(Variable.constant(c4)).sum());
        double[] expected = new double[15];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 3; j++) {
                double g = c4.getDouble(i, j);
                g += i < 2 ? c1.getDouble(i, j) : 0;
                g += i >= 1 && i < 4 ? c2.getDouble(i - 1, j) : 0;
                g += j == 2 ? c3.getDouble(i, 0) : 0;
                expected[i * 3 + j] = 2 * g;
            }
        }
        Variable recorded = Autograd.grad(List.of(loss), List.of(x), null, true, true, false).get(0);
        loss.backward();
        assertArrayEquals(expected, x.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(expected, recorded.value().toDoubleArray(), 1e-12);
    }

    @Test
    void disjointNarrowsAreCopiedAndLaterTermsAdded() {
        Variable x = Variable.parameter(random(6, 3));
        Tensor c1 = random(2, 3);
        Tensor c2 = random(2, 3);
        Tensor c3 = random(6, 3);
        Tensor c4 = random(1, 3);
        Variable y = x.mul(3);
        // rows 0-1 and 2-3 land on untouched zeros (copied); then the whole gradient, then row 2 again (added)
        Variable loss = y.narrow(0, 0, 2).mul(Variable.constant(c1)).sum()
                .add(y.narrow(0, 2, 2).mul(Variable.constant(c2)).sum())
                .add(y.mul(Variable.constant(c3)).mul(1).mul(1).sum())
                .add(y.narrow(0, 2, 1).mul(1).mul(1).mul(1).mul(Variable.constant(c4)).sum());
        double[] expected = new double[18];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 3; j++) {
                double g = c3.getDouble(i, j);
                g += i < 2 ? c1.getDouble(i, j) : 0;
                g += i >= 2 && i < 4 ? c2.getDouble(i - 2, j) : 0;
                g += i == 2 ? c4.getDouble(0, j) : 0;
                expected[i * 3 + j] = 3 * g;
            }
        }
        Variable recorded = Autograd.grad(List.of(loss), List.of(x), null, true, true, false).get(0);
        loss.backward();
        assertArrayEquals(expected, x.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(expected, recorded.value().toDoubleArray(), 1e-12);
    }

    @Test
    void aGradientPassedToTwoInputsIsNotChangedInPlace() {
        Variable x = Variable.parameter(random(4));
        Tensor c = random(4);
        Tensor d = random(4);
        Tensor e = random(4);
        Tensor f = random(4);
        Tensor c2 = random(4);
        Variable y = x.mul(3);
        Variable v = x.mul(5);
        // u's gradient is a sum the pass made (c + c2); add's rule hands that same sum to y and to v, and both
        // then get more terms, y two of them
        Variable u = y.add(v);
        Variable loss = u.mul(Variable.constant(c)).sum()
                .add(u.mul(Variable.constant(c2)).sum())
                .add(v.mul(Variable.constant(d)).mul(1).mul(1).mul(1).mul(1).sum())
                .add(y.mul(Variable.constant(e)).mul(1).mul(1).mul(1).mul(1).sum()) // deeper: reaches y after u
                .add(y.mul(Variable.constant(f)).mul(1).mul(1).mul(1).mul(1).sum());
        loss.backward();
        double[] expected = new double[4];
        for (int i = 0; i < 4; i++) {
            double gu = c.getDouble(i) + c2.getDouble(i);
            expected[i] = 3 * (gu + e.getDouble(i) + f.getDouble(i)) + 5 * (gu + d.getDouble(i));
        }
        assertArrayEquals(expected, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void freshGradientsOfLayerNormAndLinearAreAddedIntoAndAdopted() {
        // x feeds a layer norm and the residual; h feeds two linears; the weight is used by both
        Variable x = Variable.parameter(random(3, 4));
        Variable w = Variable.parameter(random(4, 4));
        Variable b = Variable.parameter(random(4));
        Variable lnW = Variable.parameter(random(4));
        Variable lnB = Variable.parameter(random(4));
        Tensor c = random(3, 4);
        Variable h = x.add(x.layerNorm(new int[] {4}, lnW, lnB, 1e-5));
        Variable loss = h.linear(w, b).tanh().add(h.linear(w, b).sin()).mul(Variable.constant(c)).sum();
        List<Variable> params = List.of(x, w, b, lnW, lnB);
        // the pass that records a graph runs the differentiable rules, without any in-place sum
        List<Variable> expected = Autograd.grad(List.of(loss), params, null, true, true, false);
        loss.backward();
        for (int i = 0; i < params.size(); i++) {
            assertArrayEquals(expected.get(i).value().toDoubleArray(), params.get(i).grad().toDoubleArray(), 1e-12,
                    "gradient " + i);
        }
        // an adopted .grad is the parameter's own: a second backward adds into it, not into a shared tensor
        Tensor first = w.grad().clone();
        loss = Variable.constant(h.value()).linear(w, b).sum();
        loss.backward();
        double[] rows = new double[16];
        double[] hv = h.value().toDoubleArray();
        for (int o = 0; o < 4; o++) {
            for (int i = 0; i < 4; i++) {
                for (int r = 0; r < 3; r++) {
                    rows[o * 4 + i] += hv[r * 4 + i];
                }
            }
        }
        double[] want = first.toDoubleArray();
        for (int k = 0; k < 16; k++) {
            want[k] += rows[k];
        }
        assertArrayEquals(want, w.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void layerNormUnderALinearWritesItsGradientInPlaceCorrectly() {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Variable x = Variable.parameter(Tensor.randn(RNG, dtype, 5, 6));
            Variable lnW = Variable.parameter(Tensor.randn(RNG, dtype, 6));
            Variable lnB = Variable.parameter(Tensor.randn(RNG, dtype, 6));
            Variable w = Variable.parameter(Tensor.randn(RNG, dtype, 3, 6));
            Variable b = Variable.parameter(Tensor.randn(RNG, dtype, 3));
            // the linear's input gradient is fresh, so the layer norm writes x's gradient over it
            Variable loss = x.layerNorm(new int[] {6}, lnW, lnB, 1e-5).linear(w, b).tanh().sum();
            List<Variable> params = List.of(x, lnW, lnB, w, b);
            List<Variable> expected = Autograd.grad(List.of(loss), params, null, true, true, false);
            loss.backward();
            for (int i = 0; i < params.size(); i++) {
                assertArrayEquals(expected.get(i).value().toDoubleArray(), params.get(i).grad().toDoubleArray(),
                        dtype == DType.FLOAT64 ? 1e-12 : 1e-5, dtype + " gradient " + i);
            }
        }
    }

    @Test
    void aFreedNarrowStillFailsClearly() {
        Variable x = Variable.parameter(random(3));
        Variable loss = x.mul(2).narrow(0, 0, 2).sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("already freed"), e.getMessage());
    }

    @Test
    void hooksOnANarrowSeeItsGradient() {
        Variable x = Variable.parameter(random(4));
        Variable part = x.mul(2).narrow(0, 1, 2);
        part.registerHook(g -> g.mul(10));
        part.sum().backward();
        assertArrayEquals(new double[] {0, 20, 20, 0}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void reluMasksThePooledGradientInPlaceWithTheRecordedBits() {
        // max pooling's rule hands ReLU a fresh gradient, which ReLU's rule masks in place: the same bits as the
        // recorded pass (which allocates), and the hand-written gradient; x has ties and negative windows
        Tensor xv = Tensor.of(new double[] {1, -2, 3, 3, -1, -1, 0, 5, 2, 2, -2, -2, -4, 1, -3, -3}, 1, 1, 4, 4);
        Tensor w = Tensor.of(new double[] {0.5, -2, 3, 7}, 1, 1, 2, 2);
        Variable x = Variable.parameter(xv);
        Variable loss = x.relu().maxPool2d(dev.descent.tensor.PoolSpec.of(2, 2, 0)).mul(Variable.constant(w)).sum();
        Variable recorded = Autograd.grad(List.of(loss), List.of(x), null, true, true, false).get(0);
        loss.backward();
        // window maxima of relu(x): 1 at 0; 5 at 7; 2 at 8 (the first of two); 0 at 10 (all four windows' inputs
        // negative: the first position, where ReLU's mask then zeroes the gradient)
        double[] expected = new double[16];
        expected[0] = 0.5;
        expected[7] = -2;
        expected[8] = 3;
        assertArrayEquals(expected, x.grad().toDoubleArray());
        assertArrayEquals(expected, recorded.value().toDoubleArray());
    }

    @Test
    void reluOverTwoPoolingsSumsBeforeMasking() {
        Variable x = Variable.parameter(random(2, 3, 6, 6));
        Tensor w1 = random(2, 3, 3, 3);
        Tensor w2 = random(2, 3, 2, 2);
        Variable h = x.relu();
        Variable loss = h.maxPool2d(dev.descent.tensor.PoolSpec.of(2, 2, 0)).mul(Variable.constant(w1)).sum()
                .add(h.maxPool2d(dev.descent.tensor.PoolSpec.of(3, 3, 0)).mul(Variable.constant(w2)).sum());
        Variable recorded = Autograd.grad(List.of(loss), List.of(x), null, true, true, false).get(0);
        loss.backward();
        assertArrayEquals(recorded.value().toDoubleArray(), x.grad().toDoubleArray());
    }
}
