package dev.descent.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.optim.GradientAccumulation.Scaling;
import dev.descent.tensor.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Gradient accumulation: k micro-batches of a mean loss, each scaled by 1/k, give the gradient and the
 * update of one step on the concatenated batch: bit for bit where every sum is exact (small integers, powers
 * of two), to 1e-12 otherwise.
 */
class AccumulationTest {
    /** mean over rows of (x·w + b − y)², for rows [from, to). */
    private static Variable loss(Variable w, Variable b, double[][] x, double[] y, int from, int to) {
        int n = to - from;
        int d = x[0].length;
        double[] xs = new double[n * d];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x[from + i], 0, xs, i * d, d);
            ys[i] = y[from + i];
        }
        Variable xv = Variable.constant(Tensor.of(xs).reshape(n, d));
        Variable yv = Variable.constant(Tensor.of(ys).reshape(n, 1));
        return xv.matmul(w).add(b).sub(yv).square().mean();
    }

    private static Variable[] model(double[] w0) {
        return new Variable[] {Variable.parameter(Tensor.of(w0.clone()).reshape(w0.length, 1)),
            Variable.parameter(Tensor.of(0.5))};
    }

    private static SGD sgd(Variable[] m) {
        return new SGD(List.of(new ParamGroup(Map.of("w", m[0], "b", m[1]), Map.of("lr", 0.125, "momentum", 0.5))));
    }

    /** Runs {@code updates} updates of accumulation over k micro-batches and of one full batch; compares. */
    private static void compare(double[][] x, double[] y, double[] w0, int k, Scaling scaling, int updates,
            boolean exact) {
        Variable[] acc = model(w0);
        Variable[] full = model(w0);
        SGD accOpt = sgd(acc);
        SGD fullOpt = sgd(full);
        GradientAccumulation ga = new GradientAccumulation(accOpt, k, scaling);
        int m = x.length / k;
        for (int u = 0; u < updates; u++) {
            for (int j = 0; j < k; j++) {
                ga.scaleLoss(loss(acc[0], acc[1], x, y, j * m, (j + 1) * m)).backward();
                int jj = j;
                boolean stepped = ga.step(() -> {
                    // The hook sees the full, scaled gradient: compare it with the concatenated batch's.
                    loss(full[0], full[1], x, y, 0, x.length).backward();
                    for (int p = 0; p < 2; p++) {
                        assertClose(full[p].grad().toDoubleArray(), acc[p].grad().toDoubleArray(), exact,
                                "gradient " + p + " update " + ga.updates());
                    }
                });
                assertEquals(jj == k - 1, stepped);
            }
            fullOpt.step();
            fullOpt.zeroGrad();
            assertNull(acc[0].grad());
            for (int p = 0; p < 2; p++) {
                assertClose(full[p].value().toDoubleArray(), acc[p].value().toDoubleArray(), exact, "param " + p);
            }
        }
        assertEquals(updates, ga.updates());
    }

    private static void assertClose(double[] expected, double[] actual, boolean exact, String message) {
        for (int i = 0; i < expected.length; i++) {
            if (exact) {
                assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(actual[i]),
                        message + "[" + i + "]: " + expected[i] + " vs " + actual[i]);
            } else {
                assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])), message + "[" + i + "]");
            }
        }
    }

    @Test
    void exactArithmeticGivesBitIdenticalSteps() {
        // 8 rows, small integers, k = 2 or 4: every product and sum is exact, so is each 1/k and 1/n.
        double[][] x = {{1, 2}, {0, -1}, {3, 1}, {-2, 2}, {1, 1}, {2, -3}, {0, 2}, {-1, 0}};
        double[] y = {1, -2, 3, 0, 2, -1, 1, 4};
        double[] w0 = {0.5, -0.25};
        compare(x, y, w0, 2, Scaling.LOSS, 1, true);
        compare(x, y, w0, 4, Scaling.LOSS, 1, true);
        compare(x, y, w0, 2, Scaling.GRADIENTS, 1, true);
        compare(x, y, w0, 8, Scaling.GRADIENTS, 1, true);
    }

    @Test
    void randomDataAgreesTo1e12() {
        Random rnd = new Random(42);
        double[][] x = new double[12][3];
        double[] y = new double[12];
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 3; j++) {
                x[i][j] = rnd.nextGaussian();
            }
            y[i] = rnd.nextGaussian();
        }
        double[] w0 = {0.3, -0.7, 0.1};
        compare(x, y, w0, 3, Scaling.LOSS, 6, false);
        compare(x, y, w0, 4, Scaling.GRADIENTS, 6, false);
        compare(x, y, w0, 1, Scaling.LOSS, 3, false);
    }

    @Test
    void counterSavesAndRestores() {
        Variable[] m = model(new double[] {1, 2});
        SGD opt = sgd(m);
        GradientAccumulation ga = new GradientAccumulation(opt, 3);
        for (int i = 0; i < 7; i++) {
            m[1].setGrad(Tensor.of(1.0));
            ga.step();
        }
        assertEquals(1, ga.pending());
        assertEquals(2, ga.updates());
        GradientAccumulation restored = new GradientAccumulation(sgd(model(new double[] {1, 2})), 3);
        restored.loadState(new HashMap<>(ga.state()));
        assertEquals(ga.state(), restored.state());
        assertFalse(restored.step());
        assertTrue(restored.step());
        assertEquals(3, restored.updates());
        Map<String, Object> bad = new HashMap<>(ga.state());
        bad.put("micro_step", 3);
        bad.remove("updates");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ga.loadState(bad));
        assertTrue(e.getMessage().contains("micro_step") && e.getMessage().contains("updates"), e.getMessage());
        assertEquals(1, ga.pending());
        assertThrows(IllegalArgumentException.class, () -> new GradientAccumulation(opt, 0));
    }
}
