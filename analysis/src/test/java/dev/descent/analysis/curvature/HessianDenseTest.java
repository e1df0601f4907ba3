package dev.descent.analysis.curvature;

import static dev.descent.analysis.curvature.CurvatureFixtures.assertMatrixClose;
import static dev.descent.analysis.curvature.CurvatureFixtures.classification;
import static dev.descent.analysis.curvature.CurvatureFixtures.dense;
import static dev.descent.analysis.curvature.CurvatureFixtures.flatMlpLoss;
import static dev.descent.analysis.curvature.CurvatureFixtures.hessian;
import static dev.descent.analysis.curvature.CurvatureFixtures.mlp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.autograd.Variable;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Double-backprop products of small MLPs against the dense Hessian that autograd's {@code Functional.hessian}
 * takes of the same loss written on a flat parameter vector; blocks against sub-blocks of it.
 */
class HessianDenseTest {
    private static final int IN = 4;
    private static final int HIDDEN = 3;
    private static final int OUT = 3;
    private static final int P = HIDDEN * IN + HIDDEN + OUT * HIDDEN + OUT;

    @ParameterizedTest(name = "relu = {0}")
    @ValueSource(booleans = {false, true})
    void productsEqualTheDenseHessianOfTheFlatLoss(boolean relu) {
        Sequential model = mlp(IN, HIDDEN, OUT, relu, 3);
        Batch batch = classification(new Rng(4), 6, IN, OUT);
        HessianOperator op = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(batch).build();
        assertEquals(P, op.size());
        double[] theta = ParameterBlock.all(model).values();
        double[][] expected = hessian(flatMlpLoss(batch, IN, HIDDEN, OUT, relu), theta);
        assertMatrixClose(expected, dense(op), 1e-10);
    }

    @Test
    void gradientAndLossEqualTheFlatLoss() {
        Sequential model = mlp(IN, HIDDEN, OUT, false, 5);
        Batch batch = classification(new Rng(6), 7, IN, OUT);
        HessianOperator op = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(batch).build();
        double[] theta = ParameterBlock.all(model).values();
        Variable flat = Variable.parameter(Tensor.of(theta, P));
        Variable loss = flatMlpLoss(batch, IN, HIDDEN, OUT, false).apply(flat);
        double[] expected = dev.descent.autograd.Autograd.grad(loss, flat).value().toDoubleArray();
        assertArrayEquals(expected, op.gradient(), 1e-13);
        assertEquals(loss.item(), op.loss(), 1e-14);
        model.parameters().forEach(p -> assertNull(p.grad(), "no .grad is touched"));
    }

    @Test
    void aBlockGivesTheSubBlockOfTheFullHessian() {
        Sequential model = mlp(IN, HIDDEN, OUT, false, 7);
        Batch batch = classification(new Rng(8), 6, IN, OUT);
        double[][] full = hessian(flatMlpLoss(batch, IN, HIDDEN, OUT, false), ParameterBlock.all(model).values());
        // 2.weight then 0.bias, out of the model's order: rows and columns follow the block's order
        ParameterBlock block = ParameterBlock.named(model, List.of("2.weight", "0.bias"));
        int[] index = new int[block.size()];
        int k = 0;
        for (int i = 0; i < OUT * HIDDEN; i++) {
            index[k++] = HIDDEN * IN + HIDDEN + i;
        }
        for (int i = 0; i < HIDDEN; i++) {
            index[k++] = HIDDEN * IN + i;
        }
        double[][] expected = new double[index.length][index.length];
        for (int i = 0; i < index.length; i++) {
            for (int j = 0; j < index.length; j++) {
                expected[i][j] = full[index[i]][index[j]];
            }
        }
        HessianOperator op = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(batch).block(block)
                .build();
        assertEquals(OUT * HIDDEN + HIDDEN, op.size());
        assertMatrixClose(expected, dense(op), 1e-10);
        // the same block in finite differences agrees too
        HessianOperator fd = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(batch).block(block)
                .finiteDifferences().build();
        assertMatrixClose(expected, dense(fd), 1e-8);
    }

    @Test
    void reusingTheGraphGivesTheSameProductsAndFollowsParameterChanges() {
        Sequential model = mlp(IN, HIDDEN, OUT, false, 9);
        Batch batch = classification(new Rng(10), 6, IN, OUT);
        HessianOperator fresh = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(batch).build();
        HessianOperator kept = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(batch)
                .reuseGraph(true).build();
        Rng rng = new Rng(11);
        for (int i = 0; i < 3; i++) {
            double[] v = CurvatureFixtures.gaussian(rng, P);
            assertArrayEquals(fresh.apply(v), kept.apply(v), 1e-15);
        }
        // an in-place step on a parameter makes the kept graph stale: it is rebuilt, not reused
        try (var scope = dev.descent.autograd.Autograd.noGrad()) {
            model.parameters().get(0).value().add_(0.5);
        }
        double[] v = CurvatureFixtures.gaussian(rng, P);
        double[] expected = hessianTimes(hessian(flatMlpLoss(batch, IN, HIDDEN, OUT, false),
                ParameterBlock.all(model).values()), v);
        assertArrayEquals(expected, kept.apply(v), 1e-12);
        kept.release();
        assertArrayEquals(expected, kept.apply(v), 1e-12);
    }

    @Test
    void aLossLinearInTheBlockHasZeroCurvatureAndUnusedParametersZeroGradient() {
        Sequential model = mlp(IN, HIDDEN, OUT, false, 12);
        Batch batch = classification(new Rng(13), 4, IN, OUT);
        // 3 Σ W1: the gradient is constant in θ (3 for W1, nothing reaches the other parameters)
        LossFunction linear = (m, b) -> m.parameters().get(0).sum().mul(3);
        HessianOperator op = HessianOperator.builder(model, linear).batch(batch).build();
        double[] v = CurvatureFixtures.gaussian(new Rng(14), P);
        double[] vCopy = v.clone();
        assertArrayEquals(new double[P], op.apply(v), 0.0);
        assertArrayEquals(vCopy, v, 0.0, "v is left unchanged");
        double[] g = op.gradient();
        for (int i = 0; i < P; i++) {
            assertEquals(i < HIDDEN * IN ? 3 : 0, g[i], 0.0);
        }
    }

    @Test
    void rejectsVectorsOfTheWrongLengthAndForeignBlocks() {
        Sequential model = mlp(IN, HIDDEN, OUT, false, 1);
        Batch batch = classification(new Rng(2), 4, IN, OUT);
        HessianOperator op = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(batch).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.apply(new double[3]));
        assertEquals("HessianOperator.apply: vector has 3 elements, the operator maps vectors of " + P, e.getMessage());
        Sequential other = mlp(IN, HIDDEN, OUT, false, 1);
        e = assertThrows(IllegalArgumentException.class, () -> HessianOperator.builder(model,
                LossFunction.crossEntropy()).batch(batch).block(ParameterBlock.all(other)).build());
        assertEquals("HessianOperator: block parameter 0.weight is not a parameter of the model; build the block"
                + " from the same model", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> HessianOperator.builder(model,
                LossFunction.crossEntropy()).build());
        assertEquals("HessianOperator: no data; give it with batch, batches or data", e.getMessage());
        HessianOperator constant = HessianOperator.builder(model, (m, b) -> Variable.constant(Tensor.of(1.0)))
                .batch(batch).build();
        e = assertThrows(IllegalArgumentException.class, () -> constant.apply(new double[P]));
        assertEquals("HessianOperator: the loss does not depend on any parameter (it was computed without"
                + " recording, or from detached values)", e.getMessage());
        HessianOperator perExample = HessianOperator.builder(model, (m, b) -> ((Sequential) m)
                .forward(Variable.constant(b.inputs())).sum(1)).batch(batch).build();
        e = assertThrows(IllegalArgumentException.class, perExample::gradient);
        assertEquals("HessianOperator: the loss function must return a scalar, got shape [4] for a batch of 4",
                e.getMessage());
    }

    static double[] hessianTimes(double[][] h, double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v.length; j++) {
                out[i] += h[i][j] * v[j];
            }
        }
        return out;
    }
}
