package dev.descent.analysis.curvature;

import static dev.descent.analysis.curvature.CurvatureFixtures.classification;
import static dev.descent.analysis.curvature.CurvatureFixtures.gaussian;
import static dev.descent.analysis.curvature.CurvatureFixtures.mlp;
import static dev.descent.analysis.curvature.CurvatureFixtures.relativeError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Central differences of gradients against double backprop, their step, and the restore of the parameters. */
class FiniteDifferenceTest {
    @Test
    void centralDifferencesAgreeWithDoubleBackpropInFloat64() {
        Sequential model = mlp(6, 10, 4, false, 21);
        Batch batch = classification(new Rng(22), 32, 6, 4);
        HessianOperator exact = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(batch).build();
        HessianOperator fd = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(batch)
                .finiteDifferences().build();
        assertEquals(HvpMethod.FINITE_DIFFERENCE, fd.method());
        Rng rng = new Rng(23);
        for (int i = 0; i < 3; i++) {
            double[] v = gaussian(rng, exact.size());
            // measured about 6e-11: O(h²) truncation and O(ε_mach / h) round-off at h = 6e-6 are both small
            double error = relativeError(fd.apply(v), exact.apply(v));
            assertTrue(error < 1e-8, "relative error " + error);
        }
    }

    @Test
    void theProductIsLinearInTheScaleOfTheVector() {
        // v is normalised before the step, so scaling v scales the result and leaves the step alone
        Sequential model = mlp(3, 4, 2, false, 24);
        Batch batch = classification(new Rng(25), 8, 3, 2);
        HessianOperator fd = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(batch)
                .finiteDifferences().build();
        double[] v = gaussian(new Rng(26), fd.size());
        double[] big = v.clone();
        for (int i = 0; i < big.length; i++) {
            big[i] *= 1000;
        }
        double[] hv = fd.apply(v);
        double[] hBig = fd.apply(big);
        for (int i = 0; i < hv.length; i++) {
            assertEquals(1000 * hv[i], hBig[i], 1e-12 * Math.abs(hBig[i]) + 1e-15);
        }
        assertArrayEquals(new double[fd.size()], fd.apply(new double[fd.size()]));
    }

    @Test
    void theStepIsEpsilonTimesTheRootMeanSquareWeightWhenThatExceedsOne() {
        Linear model = new Linear(1, 1, new Rng(0));
        model.to(DType.FLOAT64);
        ParameterBlock block = ParameterBlock.all(model);
        model.loadStateDict(Map.of("weight", Tensor.of(new double[] {3}, 1, 1), "bias", Tensor.of(4.0)));
        FiniteDifference fd = new FiniteDifference(model, LossFunction.meanSquaredError(), block, 1e-3);
        assertEquals(1e-3 * Math.sqrt(12.5), fd.step(block.values()), 1e-18);
        model.loadStateDict(Map.of("weight", Tensor.of(new double[] {0.3}, 1, 1), "bias", Tensor.of(-0.4)));
        assertEquals(1e-3, fd.step(block.values()), 0.0);
        assertEquals(6e-6, FiniteDifference.defaultEpsilon(DType.FLOAT64));
        assertEquals(5e-3, FiniteDifference.defaultEpsilon(DType.FLOAT32));
        assertThrows(IllegalArgumentException.class, () -> new FiniteDifference(model,
                LossFunction.meanSquaredError(), block, 0));
    }

    @Test
    void parametersAreRestoredBitForBitEvenWhenAGradientFails() {
        Sequential model = mlp(3, 4, 2, false, 27);
        model.train();
        Batch batch = classification(new Rng(28), 8, 3, 2);
        List<Tensor> before = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (Variable p : model.parameters()) {
            before.add(p.value());
            values.add(p.value().toDoubleArray());
        }
        int[] calls = {0};
        LossFunction failing = (m, b) -> {
            if (++calls[0] == 2) {
                throw new IllegalStateException("second gradient fails");
            }
            return LossFunction.crossEntropy().compute(m, b);
        };
        HessianOperator fd = HessianOperator.builder(model, failing).batch(batch).finiteDifferences().build();
        assertThrows(IllegalStateException.class, () -> fd.apply(gaussian(new Rng(29), fd.size())));
        assertEquals(2, calls[0]);
        for (int i = 0; i < before.size(); i++) {
            Variable p = model.parameters().get(i);
            assertSame(before.get(i), p.value(), "the original tensor is put back");
            assertArrayEquals(values.get(i), p.value().toDoubleArray(), 0.0);
        }
        assertTrue(model.isTraining(), "the training flag is put back too");

        HessianOperator ok = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(batch)
                .finiteDifferences().build();
        ok.apply(gaussian(new Rng(30), ok.size()));
        for (int i = 0; i < before.size(); i++) {
            assertSame(before.get(i), model.parameters().get(i).value());
            assertArrayEquals(values.get(i), model.parameters().get(i).value().toDoubleArray(), 0.0);
        }
    }
}
