package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.nn.data.Batch;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BatchNormStatistics.recompute: running statistics become the size-weighted averages of the batches'. */
class BatchNormStatisticsTest {
    @Test
    void runningStatisticsBecomeTheAverageOfTheBatchStatistics() {
        Rng rng = new Rng(3);
        BatchNorm1d bn = new BatchNorm1d(3, 1e-5, 0.1, true, true);
        Sequential model = new Sequential(bn, new Linear(3, 2, rng));
        List<Batch> batches = new ArrayList<>();
        int[] sizes = {5, 3, 6, 4};
        for (int b = 0; b < 4; b++) {
            batches.add(new Batch(Tensor.randn(rng, DType.FLOAT64, sizes[b], 3).mul(b + 1.0).add(b),
                    Tensor.zeros(sizes[b])));
        }
        model.to(DType.FLOAT64);
        model.train();
        model.forward(Variable.constant(Tensor.randn(rng, DType.FLOAT64, 5, 3).mul(7.0))); // stale statistics
        model.eval();
        bn.train(); // mixed flags must come back as they were

        int updated = BatchNormStatistics.recompute(model, batches.stream().map(Batch::inputs).toList(),
                x -> model.forward(Variable.constant(x)));

        assertEquals(1, updated);
        double[] mean = bn.runningMean().toDoubleArray();
        double[] var = bn.runningVar().toDoubleArray();
        for (int c = 0; c < 3; c++) {
            // the batches' statistics averaged with weights n_b / N (N = 18 examples)
            double meanOfMeans = 0;
            double meanOfVars = 0;
            for (Batch b : batches) {
                double[] x = b.inputs().toDoubleArray();
                int n = b.inputs().size(0);
                double m = 0;
                for (int i = 0; i < n; i++) {
                    m += x[i * 3 + c] / n;
                }
                double v = 0;
                for (int i = 0; i < n; i++) {
                    v += (x[i * 3 + c] - m) * (x[i * 3 + c] - m) / (n - 1); // unbiased, as running_var
                }
                meanOfMeans += m * n / 18;
                meanOfVars += v * n / 18;
            }
            assertEquals(meanOfMeans, mean[c], 1e-12);
            assertEquals(meanOfVars, var[c], 1e-12);
        }
        assertEquals(4, bn.numBatchesTracked());
        assertTrue(bn.toString().contains("momentum=0.1"), bn.toString());
        assertFalse(model.isTraining());
        assertTrue(bn.isTraining());
    }

    @Test
    void aModelWithoutBatchNormIsLeftAloneAndItsDataUnread() {
        Sequential model = new Sequential(new Linear(3, 2, new Rng(1)));
        Iterable<Tensor> unreadable = () -> {
            throw new AssertionError("read");
        };
        assertEquals(0, BatchNormStatistics.recompute(model, unreadable, x -> { }));
    }
}
