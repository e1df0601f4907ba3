package dev.descent.analysis.curvature;

import static dev.descent.analysis.curvature.CurvatureFixtures.assertMatrixClose;
import static dev.descent.analysis.curvature.CurvatureFixtures.classification;
import static dev.descent.analysis.curvature.CurvatureFixtures.dense;
import static dev.descent.analysis.curvature.CurvatureFixtures.flatMlpLoss;
import static dev.descent.analysis.curvature.CurvatureFixtures.gaussian;
import static dev.descent.analysis.curvature.CurvatureFixtures.hessian;
import static dev.descent.analysis.curvature.CurvatureFixtures.mlp;
import static dev.descent.analysis.curvature.CurvatureFixtures.relativeError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.TensorDataset;
import dev.descent.tensor.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Averaging over batches of unequal sizes, weighted by size, equals the Hessian (and gradient, and loss) of the
 * mean loss over all the examples at once.
 */
class DatasetAveragingTest {
    private static final int IN = 3;
    private static final int HIDDEN = 4;
    private static final int OUT = 3;

    private final Sequential model = mlp(IN, HIDDEN, OUT, false, 31);
    private final Batch all = classification(new Rng(32), 15, IN, OUT);
    private final List<Batch> unequal = List.of(slice(all, 0, 5), slice(all, 5, 3), slice(all, 8, 7));

    @Test
    void unequalBatchesWeightedBySizeGiveTheWholeDataHessian() {
        double[][] whole = hessian(flatMlpLoss(all, IN, HIDDEN, OUT, false), ParameterBlock.all(model).values());
        HessianOperator averaged = HessianOperator.builder(model, LossFunction.crossEntropy()).batches(unequal)
                .build();
        assertMatrixClose(whole, dense(averaged), 1e-12);
        HessianOperator kept = HessianOperator.builder(model, LossFunction.crossEntropy()).batches(unequal)
                .reuseGraph(true).build();
        assertMatrixClose(whole, dense(kept), 1e-12);

        // the plain mean of the three batch Hessians (eigenthings' and spectral-density's weighting) is not it
        double[] v = gaussian(new Rng(33), averaged.size());
        double[] plain = new double[v.length];
        for (Batch b : unequal) {
            double[] hv = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(b).build().apply(v);
            for (int i = 0; i < v.length; i++) {
                plain[i] += hv[i] / unequal.size();
            }
        }
        assertTrue(relativeError(plain, averaged.apply(v)) > 1e-3);
    }

    @Test
    void gradientAndLossAreWeightedTheSameWay() {
        HessianOperator whole = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(all).build();
        HessianOperator averaged = HessianOperator.builder(model, LossFunction.crossEntropy()).batches(unequal)
                .build();
        LossAndGradient expected = whole.lossAndGradient();
        LossAndGradient actual = averaged.lossAndGradient();
        assertEquals(15, actual.examples());
        assertEquals(expected.loss(), actual.loss(), 1e-14);
        assertArrayEquals(expected.gradient(), actual.gradient(), 1e-15);
        assertEquals(expected.gradientNorm(), actual.gradientNorm(), 1e-15);
    }

    @Test
    void aLoaderWithAPartialLastBatchShuffledOrNotGivesTheSameOperator() {
        TensorDataset data = new TensorDataset(all.inputs(), all.targets());
        HessianOperator whole = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(all).build();
        DataLoader inOrder = DataLoader.builder(data).batchSize(4).build();
        DataLoader shuffled = DataLoader.builder(data).batchSize(4).shuffle(new Rng(34)).build();
        double[] v = gaussian(new Rng(35), whole.size());
        double[] expected = whole.apply(v);
        for (DataLoader loader : List.of(inOrder, shuffled)) {
            HessianOperator op = HessianOperator.builder(model, LossFunction.crossEntropy()).data(loader).build();
            assertArrayEquals(expected, op.apply(v), 1e-14);
            assertArrayEquals(whole.gradient(), op.gradient(), 1e-15);
        }
        assertEquals(0, inOrder.nextEpoch(), "the operator reads epoch 0 without advancing the loader");
        HessianOperator fd = HessianOperator.builder(model, LossFunction.crossEntropy()).data(inOrder)
                .finiteDifferences().build();
        assertTrue(relativeError(fd.apply(v), expected) < 1e-7);
    }

    @Test
    void rejectsEmptyData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HessianOperator.builder(model, LossFunction.crossEntropy()).batches(List.of()));
        assertEquals("HessianOperator: the list of batches is empty", e.getMessage());
        DataLoader none = DataLoader.builder(new TensorDataset(all.inputs(), all.targets())).batchSize(20)
                .dropLast(true).build();
        e = assertThrows(IllegalArgumentException.class,
                () -> HessianOperator.builder(model, LossFunction.crossEntropy()).data(none));
        assertEquals("HessianOperator: the loader has no batches (batch size 20, last partial batch dropped)",
                e.getMessage());
    }

    private static Batch slice(Batch b, int from, int length) {
        return new Batch(b.inputs().narrow(0, from, length), b.targets().narrow(0, from, length));
    }
}
