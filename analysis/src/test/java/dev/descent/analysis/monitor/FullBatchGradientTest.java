package dev.descent.analysis.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.nn.Dropout;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.nn.functional.F;
import dev.descent.nn.functional.Reduction;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The data-set gradient against the closed form of least squares, with batches of unequal sizes. */
class FullBatchGradientTest {
    static final BatchLoss MSE = (m, b) -> F.mseLoss(((Sequential) m).forward(Variable.constant(b.inputs())),
            Variable.constant(b.targets()), Reduction.MEAN);

    /** ∇_W (1/N) Σ (x·w + c − y)² = (2/N) Σ r x and ∇_c = (2/N) Σ r, with r the residual. */
    static double[] closedFormGradient(double[] w, double c, double[][] x, double[] y) {
        double[] g = new double[w.length + 1];
        for (int i = 0; i < x.length; i++) {
            double r = c - y[i];
            for (int k = 0; k < w.length; k++) {
                r += x[i][k] * w[k];
            }
            for (int k = 0; k < w.length; k++) {
                g[k] += 2 * r * x[i][k] / x.length;
            }
            g[w.length] += 2 * r / x.length;
        }
        return g;
    }

    @Test
    void weightsBatchesBySizeRunsInEvalModeAndLeavesGradAndFlagsAlone() {
        Rng rng = new Rng(2);
        Sequential model = new Sequential(new Dropout(0.5, rng), new Linear(3, 1, rng));
        Tensor x = Tensor.randn(rng, 10, 3);
        Tensor y = Tensor.randn(rng, 10, 1);
        // sizes 7 and 3: a plain mean of the two batch gradients would be wrong
        List<Batch> batches = List.of(new Batch(x.narrow(0, 0, 7), y.narrow(0, 0, 7)),
                new Batch(x.narrow(0, 7, 3), y.narrow(0, 7, 3)));
        // the dropout is in training mode: only evaluation mode gives the closed form below; the linear child is put in
        // eval mode by hand and must stay there, its parent in training mode
        model.get(1).eval();
        Variable weight = ((Linear) model.get(1)).weight();
        Tensor marker = Tensor.of(new float[] {1, 2, 3}).reshape(1, 3);
        weight.setGrad(marker);

        FullBatchGradient.Result r = FullBatchGradient.compute(model, batches, MSE);

        double[][] xs = new double[10][];
        for (int i = 0; i < 10; i++) {
            xs[i] = x.select(0, i).toDoubleArray();
        }
        double[] w = weight.value().toDoubleArray();
        double c = ((Linear) model.get(1)).bias().value().item();
        double[] expected = closedFormGradient(w, c, xs, y.reshape(10).toDoubleArray());
        double[] actual = new double[4];
        System.arraycopy(r.gradient().get("1.weight"), 0, actual, 0, 3);
        actual[3] = r.gradient().get("1.bias")[0];
        assertArrayEquals(expected, actual, 1e-5);
        double norm = Math.sqrt(expected[0] * expected[0] + expected[1] * expected[1] + expected[2] * expected[2]
                + expected[3] * expected[3]);
        assertEquals(norm, r.norm(), 1e-5);
        assertEquals(10, r.examples());
        double loss = 0;
        for (int i = 0; i < 10; i++) {
            double res = c - y.getDouble(i, 0);
            for (int k = 0; k < 3; k++) {
                res += xs[i][k] * w[k];
            }
            loss += res * res / 10;
        }
        assertEquals(loss, r.loss(), 1e-5);
        assertTrue(model.isTraining() && model.get(0).isTraining());
        assertFalse(model.get(1).isTraining());
        assertArrayEquals(marker.toFloatArray(), weight.grad().toFloatArray());
        assertEquals(null, ((Linear) model.get(1)).bias().grad());
    }

    @Test
    void badInputIsRejected() {
        Sequential model = new Sequential(new Linear(2, 1, new Rng(0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FullBatchGradient.compute(model, List.of(), MSE));
        assertTrue(e.getMessage().contains("no batches"), e.getMessage());
    }
}
