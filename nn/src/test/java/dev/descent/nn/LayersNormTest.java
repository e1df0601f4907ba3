package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.descent.nn.LayersFixture.Subject;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Batch, group, RMS and layer normalisation against PyTorch (fixtures/layers/norm.txt): the batch-norm cases
 * run several training steps and then evaluation, so running statistics and num_batches_tracked are compared
 * after the steps and used by the evaluation step.
 */
class LayersNormTest {
    private static final String FILE = "norm.txt";

    private static final Map<String, Supplier<Layer>> CASES = new LinkedHashMap<>();

    static {
        CASES.put("batchnorm2d_train_eval", () -> new BatchNorm2d(3));
        CASES.put("batchnorm2d_cumulative", () -> new BatchNorm2d(2, 1e-5, null, true, true));
        CASES.put("batchnorm2d_plain", () -> new BatchNorm2d(3, 1e-3, 0.3, false, false));
        CASES.put("batchnorm1d_2d", () -> new BatchNorm1d(4));
        CASES.put("batchnorm1d_3d", () -> new BatchNorm1d(3, 1e-5, 0.5, true, true));
        CASES.put("groupnorm_affine", () -> new GroupNorm(2, 6));
        CASES.put("groupnorm_plain", () -> new GroupNorm(3, 3, 1e-3, false));
        CASES.put("groupnorm_eval", () -> new GroupNorm(1, 4));
        CASES.put("rmsnorm_default_eps", () -> new RMSNorm(5));
        CASES.put("rmsnorm_tiny_input", () -> new RMSNorm(4));
        CASES.put("rmsnorm_2d_shape", () -> new RMSNorm(new int[] {3, 5}, 1e-6, true));
        CASES.put("rmsnorm_float32", () -> new RMSNorm(6));
        CASES.put("rmsnorm_plain", () -> new RMSNorm(new int[] {4}, 0.1, false));
        CASES.put("layernorm_default", () -> new LayerNorm(5));
        CASES.put("layernorm_2d_plain", () -> new LayerNorm(new int[] {3, 5}, 1e-3, false, true));
    }

    static Stream<Arguments> cases() {
        return CASES.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name, Supplier<Layer> layer) {
        LayersFixture.replay(LayersFixture.load(FILE).get(name), Subject.of(layer.get()));
    }

    @Test
    void everyFixtureCaseIsReplayed() {
        LayersFixture.assertAllCovered(FILE, CASES.keySet());
    }

    @Test
    void batchNormHasPyTorchsParametersBuffersAndDefaults() {
        BatchNorm2d bn = new BatchNorm2d(3);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(bn.stateDict().keySet()));
        assertArrayEquals(new double[] {1, 1, 1}, bn.weight().value().toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 0}, bn.bias().value().toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 0}, bn.runningMean().toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 1}, bn.runningVar().toDoubleArray());
        Tensor tracked = bn.stateDict().get("num_batches_tracked");
        assertEquals(DType.INT64, tracked.dtype());
        assertEquals(0, tracked.dim());
        BatchNorm1d plain = new BatchNorm1d(2, 1e-5, 0.1, false, false);
        assertEquals(List.of(), List.copyOf(plain.stateDict().keySet()));
        assertNull(plain.runningMean());
        assertEquals(-1, plain.numBatchesTracked());
    }

    @Test
    void batchNormRunningStatisticsFollowTheMomentumRule() {
        // independent of PyTorch: running = (1 - m) running + m batch statistic, the variance unbiased
        BatchNorm1d bn = new BatchNorm1d(1, 1e-5, 0.25, true, true);
        bn.to(DType.FLOAT64);
        double[] batch = {1, 2, 4, 9};
        bn.forward(Variable.constant(Tensor.of(batch, 4, 1)));
        bn.forward(Variable.constant(Tensor.of(batch, 4, 1)));
        double mean = 4;
        double unbiased = (9 + 4 + 0 + 25) / 3.0;
        double m1 = 0.25 * mean;
        double v1 = 0.75 + 0.25 * unbiased;
        assertEquals(0.75 * m1 + 0.25 * mean, bn.runningMean().toDoubleArray()[0], 1e-14);
        assertEquals(0.75 * v1 + 0.25 * unbiased, bn.runningVar().toDoubleArray()[0], 1e-14);
        assertEquals(2, bn.numBatchesTracked());
        // evaluation neither counts nor moves the statistics
        bn.eval();
        Variable y = bn.forward(Variable.constant(Tensor.of(new double[] {5}, 1, 1)));
        assertEquals(2, bn.numBatchesTracked());
        double expected = (5 - bn.runningMean().toDoubleArray()[0]) / Math.sqrt(bn.runningVar().toDoubleArray()[0] + 1e-5);
        assertEquals(expected, y.item(), 1e-14);
    }

    @Test
    void normalisationLayersRejectMismatchedInputs() {
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Variable.constant(Tensor.zeros(2, 3, 4))));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Variable.constant(Tensor.zeros(2, 4))));
        // one value per channel cannot be normalised with batch statistics
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Variable.constant(Tensor.zeros(1, 3))));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(4, 6));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(2, 6).forward(Variable.constant(Tensor.zeros(2, 4, 3))));
        assertThrows(IllegalArgumentException.class, () -> new RMSNorm(5).forward(Variable.constant(Tensor.zeros(2, 4))));
    }

    @Test
    void rmsNormDefaultEpsIsTheDtypesMachineEpsilon() {
        assertEquals(Math.pow(2, -23), RMSNorm.machineEpsilon(DType.FLOAT32));
        assertEquals(Math.pow(2, -52), RMSNorm.machineEpsilon(DType.FLOAT64));
        // an all-zero row gives 0 / sqrt(eps) = 0, not NaN
        Variable y = new RMSNorm(3).forward(Variable.constant(Tensor.zeros(1, 3)));
        assertArrayEquals(new double[] {0, 0, 0}, y.value().toDoubleArray());
        RMSNorm norm = new RMSNorm(2);
        double[] x = {3e-9, 4e-9};
        double scale = 1 / Math.sqrt((9e-18 + 16e-18) / 2 + Math.ulp(1.0));
        norm.to(DType.FLOAT64);
        assertArrayEquals(new double[] {x[0] * scale, x[1] * scale},
                norm.forward(Variable.constant(Tensor.of(x, 1, 2))).value().toDoubleArray(), 1e-20);
    }
}
