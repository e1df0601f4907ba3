package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** {@link BatchNormBase#freezeRunningStats}: batch statistics in training mode, running statistics never written. */
class BatchNormFrozenStatsTest {
    @Test
    void frozenTrainingNormalisesWithTheBatchAndRecordsNothing() {
        BatchNorm1d bn = new BatchNorm1d(1, 1e-5, 0.25, true, true);
        bn.to(DType.FLOAT64);
        bn.forward(Variable.constant(Tensor.of(new double[] {0, 2}, 2, 1))); // moves the statistics once
        double[] mean = bn.runningMean().toDoubleArray();
        double[] var = bn.runningVar().toDoubleArray();
        int meanVersion = bn.runningMean().storage().version();

        bn.freezeRunningStats(true);
        assertTrue(bn.runningStatsFrozen());
        double[] batch = {1, 2, 4, 9};
        double[] y = bn.forward(Variable.constant(Tensor.of(batch, 4, 1))).value().toDoubleArray();
        // the biased batch variance of {1, 2, 4, 9} is (9 + 4 + 0 + 25) / 4
        double sd = Math.sqrt(38 / 4.0 + 1e-5);
        for (int i = 0; i < batch.length; i++) {
            assertEquals((batch[i] - 4) / sd, y[i], 1e-14);
        }
        assertArrayEquals(mean, bn.runningMean().toDoubleArray());
        assertArrayEquals(var, bn.runningVar().toDoubleArray());
        assertEquals(meanVersion, bn.runningMean().storage().version(), "not even rewritten with the same values");
        assertEquals(1, bn.numBatchesTracked());
    }

    @Test
    void frozenStatisticsLeaveEvaluationAsItWasAndUnfreezingRestoresTraining() {
        BatchNorm1d bn = new BatchNorm1d(1, 1e-5, 0.5, true, true);
        bn.to(DType.FLOAT64);
        bn.forward(Variable.constant(Tensor.of(new double[] {0, 2}, 2, 1)));
        bn.eval();
        Variable x = Variable.constant(Tensor.of(new double[] {3}, 1, 1));
        double before = bn.forward(x).item();
        bn.freezeRunningStats(true);
        assertEquals(before, bn.forward(x).item(), 0.0);

        bn.freezeRunningStats(false);
        assertFalse(bn.runningStatsFrozen());
        bn.train();
        bn.forward(Variable.constant(Tensor.of(new double[] {0, 2}, 2, 1)));
        assertEquals(2, bn.numBatchesTracked());
    }
}
