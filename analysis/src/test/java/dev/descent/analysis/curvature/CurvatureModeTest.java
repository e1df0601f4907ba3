package dev.descent.analysis.curvature;

import static dev.descent.analysis.curvature.CurvatureFixtures.assertMatrixClose;
import static dev.descent.analysis.curvature.CurvatureFixtures.classification;
import static dev.descent.analysis.curvature.CurvatureFixtures.dense;
import static dev.descent.analysis.curvature.CurvatureFixtures.hessian;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.nn.BatchNorm1d;
import dev.descent.nn.Dropout;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.Sequential;
import dev.descent.nn.Tanh;
import dev.descent.nn.data.Batch;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Linear → BatchNorm1d → tanh → Dropout → Linear in both curvature modes, against the dense Hessian of the same
 * loss written out on a flat vector with batch norm's formula (running or batch statistics) and no dropout;
 * the model's running statistics, dropout generator and training flags must come out as they went in.
 */
class CurvatureModeTest {
    private static final double EPS = 1e-5;

    private final Rng dropoutRng = new Rng(40);
    private final BatchNorm1d bn = new BatchNorm1d(4);
    private final Sequential model = new Sequential(new Linear(3, 4, new Rng(41)), bn, new Tanh(),
            new Dropout(0.5, dropoutRng), new Linear(4, 2, new Rng(42)));
    private final Batch batch = classification(new Rng(43), 6, 3, 2);

    @BeforeEach
    void trainTheStatisticsAwayFromTheirDefaults() {
        model.to(DType.FLOAT64);
        Rng rng = new Rng(44);
        for (int i = 0; i < 3; i++) {
            model.forward(Variable.constant(Tensor.randn(rng, DType.FLOAT64, 8, 3).mul(2).add(1)));
        }
        model.train();
        model.namedModules().get("4").eval(); // a mixed state, to be put back module by module
    }

    @Test
    void evalUsesRunningStatisticsAndChangesNothing() {
        double[] mean = bn.runningMean().toDoubleArray();
        double[] var = bn.runningVar().toDoubleArray();
        check(CurvatureMode.EVAL, flatLoss(mean, var));
    }

    @Test
    void frozenBatchStatisticsNormaliseWithTheBatchAndChangeNothing() {
        check(CurvatureMode.TRAIN_BATCH_STATS_FROZEN, flatLoss(null, null));
    }

    @Test
    void theTwoModesGiveDifferentHessians() {
        double[][] eval = dense(operator(CurvatureMode.EVAL).build());
        double[][] train = dense(operator(CurvatureMode.TRAIN_BATCH_STATS_FROZEN).build());
        assertTrue(Math.abs(eval[0][0] - train[0][0]) > 1e-3, eval[0][0] + " vs " + train[0][0]);
    }

    private void check(CurvatureMode mode, Function<Variable, Variable> flat) {
        Map<String, Boolean> flags = flags(model);
        long[] rngState = dropoutRng.state();
        List<Tensor> buffers = new ArrayList<>(model.namedBuffers().values());
        List<double[]> values = new ArrayList<>();
        List<Integer> versions = new ArrayList<>();
        for (Tensor b : buffers) {
            values.add(b.toDoubleArray());
            versions.add(b.storage().version());
        }
        double[] theta = ParameterBlock.all(model).values();
        double[][] expected = hessian(flat, theta);

        HessianOperator op = operator(mode).build();
        assertEquals(mode, op.mode());
        assertMatrixClose(expected, dense(op), 1e-10);
        double[] g = op.gradient();
        Variable at = Variable.parameter(Tensor.of(theta, theta.length));
        assertArrayEquals(dev.descent.autograd.Autograd.grad(flat.apply(at), at).value().toDoubleArray(), g, 1e-13);
        operator(mode).finiteDifferences().build().apply(new double[theta.length]);
        operator(mode).finiteDifferences().build().apply(CurvatureFixtures.gaussian(new Rng(45), theta.length));
        operator(mode).reuseGraph(true).build().apply(CurvatureFixtures.gaussian(new Rng(46), theta.length));

        assertEquals(flags, flags(model), "training flags");
        assertArrayEquals(rngState, dropoutRng.state(), "dropout drew no mask");
        assertFalse(bn.runningStatsFrozen(), "the freeze is lifted afterwards");
        List<Tensor> after = new ArrayList<>(model.namedBuffers().values());
        for (int i = 0; i < buffers.size(); i++) {
            assertTrue(buffers.get(i) == after.get(i));
            assertArrayEquals(values.get(i), after.get(i).toDoubleArray(), 0.0);
            assertEquals(versions.get(i), after.get(i).storage().version(), "buffer " + i + " was never written");
        }
    }

    private HessianOperator.Builder operator(CurvatureMode mode) {
        return HessianOperator.builder(model, LossFunction.crossEntropy()).batch(batch).mode(mode);
    }

    private static Map<String, Boolean> flags(Module model) {
        Map<String, Boolean> out = new java.util.LinkedHashMap<>();
        model.namedModules().forEach((name, m) -> out.put(name, m.isTraining()));
        return out;
    }

    /**
     * The loss on a flat vector (0.weight [4, 3], 0.bias, 1.weight, 1.bias [4], 4.weight [2, 4], 4.bias [2]):
     * batch norm with the given running statistics, or with the batch's (biased variance) when they are null.
     */
    private Function<Variable, Variable> flatLoss(double[] runningMean, double[] runningVar) {
        Tensor onehot = batch.targets().oneHot(2).cast(DType.FLOAT64);
        return theta -> {
            Variable w1 = theta.narrow(0, 0, 12).reshape(4, 3);
            Variable b1 = theta.narrow(0, 12, 4);
            Variable gamma = theta.narrow(0, 16, 4);
            Variable beta = theta.narrow(0, 20, 4);
            Variable w2 = theta.narrow(0, 24, 8).reshape(2, 4);
            Variable b2 = theta.narrow(0, 32, 2);
            Variable pre = Variable.constant(batch.inputs()).matmul(w1.t()).add(b1);
            Variable mean = runningMean != null ? Variable.constant(Tensor.of(runningMean, 4)) : pre.mean(0);
            Variable centred = pre.sub(mean);
            Variable var = runningVar != null ? Variable.constant(Tensor.of(runningVar, 4)) : centred.square().mean(0);
            Variable h = centred.div(var.add(EPS).sqrt()).mul(gamma).add(beta).tanh();
            Variable z = h.matmul(w2.t()).add(b2);
            return z.logsumexp(new int[] {1}, false).sub(z.mul(Variable.constant(onehot)).sum(1)).mean();
        };
    }
}
