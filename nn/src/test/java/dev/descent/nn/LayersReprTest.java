package dev.descent.nn;

import dev.descent.tensor.Rng;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Printed forms against PyTorch's {@code print(module)} (fixtures/layers/repr.txt). */
class LayersReprTest {
    private static final Rng RNG = new Rng(3);

    private static final Map<String, Supplier<Module>> MODULES = new LinkedHashMap<>();

    static {
        MODULES.put("conv2d", () -> new Conv2d(1, 32, 3, RNG));
        MODULES.put("conv2d_full", () -> new Conv2d(4, 8, new int[] {3, 5}, new int[] {2, 1}, new int[] {1, 2},
                new int[] {1, 2}, 2, false, RNG));
        MODULES.put("conv2d_same", () -> new Conv2d(2, 3, 4, "same", RNG));
        MODULES.put("conv2d_valid", () -> new Conv2d(2, 3, 3, "valid", RNG));
        MODULES.put("conv1d", () -> new Conv1d(3, 5, 3, 2, 1, RNG));
        MODULES.put("conv1d_same", () -> new Conv1d(2, 3, 3, 1, "same", 2, 1, false, RNG));
        MODULES.put("maxpool2d", () -> new MaxPool2d(2));
        MODULES.put("maxpool2d_tuple", () -> new MaxPool2d(new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 1}));
        MODULES.put("avgpool2d", () -> new AvgPool2d(3, 2, 1, false));
        MODULES.put("adaptive_int", () -> new AdaptiveAvgPool2d(1));
        MODULES.put("adaptive_pair", () -> new AdaptiveAvgPool2d(3, 4));
        MODULES.put("flatten", Flatten::new);
        MODULES.put("batchnorm1d", () -> new BatchNorm1d(4, 1e-3, null, false, false));
        MODULES.put("batchnorm2d", () -> new BatchNorm2d(16));
        MODULES.put("groupnorm", () -> new GroupNorm(4, 16, 1e-6, false));
        MODULES.put("rmsnorm", () -> new RMSNorm(8));
        MODULES.put("rmsnorm_eps", () -> new RMSNorm(new int[] {3, 4}, 1e-6, false));
        MODULES.put("layernorm", () -> new LayerNorm(8));
        MODULES.put("linear", () -> new Linear(4, 3, false, RNG));
        MODULES.put("embedding", () -> new Embedding(10, 4, 0, RNG));
        MODULES.put("stable_embedding", () -> new StableEmbedding(10, 4, RNG));
        MODULES.put("dropout", () -> new Dropout(0.25, RNG));
        MODULES.put("relu", ReLU::new);
        MODULES.put("gelu", GELU::new);
        MODULES.put("gelu_tanh", () -> new GELU(true));
        MODULES.put("leakyrelu", LeakyReLU::new);
        MODULES.put("leakyrelu_slope", () -> new LeakyReLU(0.2));
        MODULES.put("silu", SiLU::new);
        MODULES.put("tanh", Tanh::new);
        MODULES.put("sigmoid", Sigmoid::new);
        MODULES.put("softmax", () -> new Softmax(-1));
        MODULES.put("logsoftmax", () -> new LogSoftmax(1));
        MODULES.put("identity", Identity::new);
        MODULES.put("sequential", () -> new Sequential(new Conv2d(1, 32, 3, RNG), new BatchNorm2d(32), new ReLU(),
                new MaxPool2d(2), new Sequential(new Flatten(), new Dropout(0.5, RNG)), new Linear(5408, 10, RNG)));
    }

    static Stream<Arguments> modules() {
        return MODULES.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void printsAsPyTorch(String name, Supplier<Module> module) {
        assertEquals(LayersFixture.load("repr.txt").get("reprs").text(name), module.get().toString());
    }

    @Test
    void everyRecordedFormIsChecked() {
        assertEquals(LayersFixture.load("repr.txt").get("reprs").texts().keySet(), MODULES.keySet());
    }
}
