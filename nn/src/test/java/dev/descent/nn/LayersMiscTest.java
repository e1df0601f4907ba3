package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.descent.nn.LayersFixture.Subject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Activations, Identity, Dropout, Linear, Embedding, StableEmbedding and a small CNN in a Sequential
 * against PyTorch (fixtures/layers/misc.txt).
 */
class LayersMiscTest {
    private static final String FILE = "misc.txt";
    private static final Rng RNG = new Rng(11);

    private static final Map<String, Supplier<Subject>> CASES = new LinkedHashMap<>();

    private static void layer(String name, Supplier<Layer> layer) {
        CASES.put(name, () -> Subject.of(layer.get()));
    }

    static {
        layer("relu", ReLU::new);
        layer("gelu", GELU::new);
        layer("gelu_tanh", () -> new GELU(true));
        layer("leakyrelu_default", LeakyReLU::new);
        layer("leakyrelu_slope", () -> new LeakyReLU(0.2));
        layer("silu", SiLU::new);
        layer("tanh", Tanh::new);
        layer("sigmoid", Sigmoid::new);
        layer("softmax_dim1", () -> new Softmax(1));
        layer("softmax_last", () -> new Softmax(-1));
        layer("logsoftmax_dim1", () -> new LogSoftmax(1));
        layer("identity", Identity::new);
        layer("dropout_eval", () -> new Dropout(0.3, RNG));
        layer("linear", () -> new Linear(5, 3, RNG));
        layer("linear_nobias", () -> new Linear(5, 3, false, RNG));
        CASES.put("embedding", () -> Subject.of(new Embedding(10, 4, RNG)));
        CASES.put("embedding_padding", () -> Subject.of(new Embedding(10, 4, 0, RNG)));
        CASES.put("stable_embedding", () -> Subject.of(new StableEmbedding(10, 4, 2, RNG)));
        layer("sequential_cnn", () -> smallCnn(RNG));
    }

    /** The network of the fixture's sequential_cnn case. */
    static Sequential smallCnn(Rng rng) {
        return new Sequential(new Conv2d(1, 4, 3, 1, 1, rng), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 8, new int[] {2, 2}, new int[] {1, 1}, "same", new int[] {1, 1}, 2, true, rng),
                new GroupNorm(2, 8), new SiLU(), new AdaptiveAvgPool2d(2, 1), new Flatten(), new Linear(16, 3, rng),
                new LogSoftmax(1));
    }

    static Stream<Arguments> cases() {
        return CASES.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name, Supplier<Subject> subject) {
        LayersFixture.replay(LayersFixture.load(FILE).get(name), subject.get());
    }

    @Test
    void everyFixtureCaseIsReplayed() {
        LayersFixture.assertAllCovered(FILE, CASES.keySet());
    }

    @Test
    void sequentialStateDictKeysAreTorchs() {
        String keys = LayersFixture.load(FILE).get("sequential_cnn").text("keys");
        assertEquals(Arrays.asList(keys.split(" ")), List.copyOf(smallCnn(new Rng(1)).stateDict().keySet()));
    }

    @Test
    void dropoutInTrainingZeroesAboutPAndScalesTheRest() {
        double p = 0.3;
        Dropout dropout = new Dropout(p, new Rng(5));
        dropout.to(DType.FLOAT64);
        int n = 100_000;
        Variable x = Variable.parameter(Tensor.full(DType.FLOAT64, 2.0, n));
        Variable y = dropout.forward(x);
        y.sum().backward();
        double[] out = y.value().toDoubleArray();
        double[] grad = x.grad().toDoubleArray();
        int zeros = 0;
        for (int i = 0; i < n; i++) {
            if (out[i] == 0) {
                zeros++;
                assertEquals(0, grad[i]);
            } else {
                assertEquals(2 / (1 - p), out[i], 1e-12);
                assertEquals(1 / (1 - p), grad[i], 1e-12);
            }
        }
        // binomial: sd of the fraction is sqrt(p (1 - p) / n) = 0.00145; allow 5 sd
        assertEquals(p, (double) zeros / n, 5 * Math.sqrt(p * (1 - p) / n));
        // the same seed gives the same mask
        Variable again = new Dropout(p, new Rng(5)).forward(Variable.constant(Tensor.full(DType.FLOAT64, 2.0, n)));
        assertTrue(Arrays.equals(out, again.value().toDoubleArray()));
    }

    @Test
    void stableEmbeddingNamesItsWeightForThirtyTwoBitOptimizerState() {
        Rng rng = new Rng(2);
        Module model = new Module() {
            {
                registerModule("tokens", new StableEmbedding(8, 4, rng));
                registerModule("plain", new Embedding(8, 4, rng));
                registerModule("blocks", new ModuleList<Module>().add(new StableEmbedding(3, 4, rng)));
            }
        };
        assertEquals(Set.of("tokens.weight", "blocks.0.weight"),
                StableEmbedding.fullPrecisionStateParameters(model));
        assertEquals(Set.of("weight"), StableEmbedding.fullPrecisionStateParameters(new StableEmbedding(2, 2, rng)));
        assertEquals(32, StableEmbedding.WEIGHT_OPTIM_BITS);
        assertTrue(model.namedParameters().keySet().containsAll(StableEmbedding.fullPrecisionStateParameters(model)));
    }
}
