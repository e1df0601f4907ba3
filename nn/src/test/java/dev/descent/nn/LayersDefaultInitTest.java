package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every layer's default initialisation, as PyTorch's: bounds exactly, moments within five standard errors,
 * constants exactly, and the same weights from the same seed.
 */
class LayersDefaultInitTest {
    private static double[] values(Variable p) {
        return p.value().cast(DType.FLOAT64).toDoubleArray();
    }

    /** Within [-bound, bound], reaching near both ends, with the uniform's variance bound^2 / 3. */
    private static void assertUniform(String what, double[] v, double bound) {
        double min = Arrays.stream(v).min().orElseThrow();
        double max = Arrays.stream(v).max().orElseThrow();
        assertTrue(min >= -bound && max <= bound, what + ": outside +-" + bound + ": [" + min + ", " + max + "]");
        assertTrue(min < -0.99 * bound && max > 0.99 * bound, what + ": does not fill +-" + bound);
        double var = Arrays.stream(v).map(x -> x * x).sum() / v.length;
        double expected = bound * bound / 3;
        assertEquals(expected, var, 5 * expected * Math.sqrt(0.8 / v.length), what + ": variance");
    }

    @Test
    void convolutionsAndLinearDrawFromOneOverSqrtFanIn() {
        Rng rng = new Rng(1);
        Conv2d conv = new Conv2d(32, 64, 5, 1, 0, 1, 4, true, rng);
        assertArrayEquals(new int[] {64, 8, 5, 5}, conv.weight().shape().toArray());
        double bound = 1 / Math.sqrt(8 * 25); // fan in = in / groups * kh * kw
        assertUniform("Conv2d weight", values(conv.weight()), bound);
        assertTrue(Arrays.stream(values(conv.bias())).allMatch(b -> Math.abs(b) <= bound));
        Conv1d conv1 = new Conv1d(50, 80, 7, rng);
        assertUniform("Conv1d weight", values(conv1.weight()), 1 / Math.sqrt(350));
        Conv1d wide = new Conv1d(1, 4000, 1, rng); // fan in 1: the bias is U(-1, 1)
        assertUniform("Conv1d bias", values(wide.bias()), 1);
        Linear linear = new Linear(300, 200, rng);
        assertUniform("Linear weight", values(linear.weight()), 1 / Math.sqrt(300));
        assertUniform("Linear bias", values(new Linear(1, 5000, rng).bias()), 1);
    }

    @Test
    void embeddingsUseNormalAndXavierUniform() {
        Rng rng = new Rng(2);
        double[] normal = values(new Embedding(1000, 64, rng).weight());
        double mean = Arrays.stream(normal).average().orElseThrow();
        double var = Arrays.stream(normal).map(x -> (x - mean) * (x - mean)).sum() / normal.length;
        assertEquals(0, mean, 5 / Math.sqrt(normal.length));
        assertEquals(1, var, 5 * Math.sqrt(2.0 / normal.length));
        StableEmbedding stable = new StableEmbedding(1000, 64, 3, rng);
        double[] w = values(stable.weight());
        assertArrayEquals(new double[64], Arrays.copyOfRange(w, 3 * 64, 4 * 64), "the padding row is zero");
        assertUniform("StableEmbedding weight", w, Math.sqrt(6.0 / (1000 + 64)));
        assertEquals(List.of("weight", "norm.weight", "norm.bias"), List.copyOf(stable.stateDict().keySet()));
    }

    @Test
    void normalisationLayersStartAtTheIdentityMap() {
        for (Module m : List.of(new BatchNorm1d(5), new BatchNorm2d(5), new GroupNorm(5, 5), new LayerNorm(5),
                new RMSNorm(5), new StableEmbedding(3, 5, new Rng(1)).norm())) {
            m.namedParameters().forEach((name, p) -> {
                double expected = name.equals("weight") ? 1 : 0;
                assertTrue(Arrays.stream(values(p)).allMatch(v -> v == expected), m + ": " + name);
            });
        }
    }

    @Test
    void theSameSeedGivesTheSameLayer() {
        List<Function<Rng, Module>> makers = List.of(r -> new Conv2d(3, 4, 3, r), r -> new Conv1d(3, 4, 3, r),
                r -> new StableEmbedding(5, 3, r), r -> LayersMiscTest.smallCnn(r));
        for (Function<Rng, Module> make : makers) {
            List<Tensor> a = List.copyOf(make.apply(new Rng(9)).stateDict().values());
            List<Tensor> b = List.copyOf(make.apply(new Rng(9)).stateDict().values());
            List<Tensor> c = List.copyOf(make.apply(new Rng(10)).stateDict().values());
            boolean differs = false;
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).cast(DType.FLOAT64).toDoubleArray(), b.get(i).cast(DType.FLOAT64).toDoubleArray());
                differs |= !Arrays.equals(a.get(i).cast(DType.FLOAT64).toDoubleArray(),
                        c.get(i).cast(DType.FLOAT64).toDoubleArray());
            }
            assertTrue(differs, "another seed gives other weights");
        }
    }
}
