package dev.descent.nn;

import dev.descent.autograd.GradCheck;
import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.tensor.ConvSpec;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Convolution, pooling and flattening layers against PyTorch (fixtures/layers/conv.txt). */
class LayersConvTest {
    private static final String FILE = "conv.txt";
    private static final Rng RNG = new Rng(7);

    /** Each fixture case and the Descent layer built with the same arguments as PyTorch's. */
    private static final Map<String, Supplier<Layer>> CASES = new LinkedHashMap<>();

    static {
        CASES.put("conv2d_basic", () -> new Conv2d(3, 4, 3, RNG));
        CASES.put("conv2d_stride_padding", () -> new Conv2d(3, 4, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0},
                new int[] {1, 1}, 1, true, RNG));
        CASES.put("conv2d_dilation_groups", () -> new Conv2d(4, 6, 3, 1, 2, 2, 2, true, RNG));
        CASES.put("conv2d_same_dilated", () -> new Conv2d(2, 3, new int[] {3, 3}, new int[] {1, 1}, "same",
                new int[] {2, 2}, 1, true, RNG));
        CASES.put("conv2d_same_even", () -> new Conv2d(2, 3, new int[] {4, 2}, new int[] {1, 1}, "same",
                new int[] {1, 1}, 1, true, RNG));
        CASES.put("conv2d_valid_nobias", () -> new Conv2d(2, 3, new int[] {3, 3}, new int[] {1, 1}, "valid",
                new int[] {1, 1}, 1, false, RNG));
        CASES.put("conv2d_unbatched", () -> new Conv2d(2, 3, 2, 2, 0, RNG));
        CASES.put("conv2d_float32", () -> new Conv2d(3, 8, 3, 2, 1, RNG));
        CASES.put("conv1d_stride_padding", () -> new Conv1d(3, 5, 3, 2, 1, RNG));
        CASES.put("conv1d_depthwise_dilated", () -> new Conv1d(4, 4, 3, 1, 2, 2, 4, false, RNG));
        CASES.put("conv1d_same_even", () -> new Conv1d(2, 3, 4, "same", RNG));
        CASES.put("conv1d_unbatched", () -> new Conv1d(2, 3, 3, RNG));
        CASES.put("maxpool2d_default_stride", () -> new MaxPool2d(2));
        CASES.put("maxpool2d_padding", () -> new MaxPool2d(3, 2, 1));
        CASES.put("maxpool2d_tuple", () -> new MaxPool2d(new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 1}));
        CASES.put("avgpool2d_include_pad", () -> new AvgPool2d(3, 2, 1));
        CASES.put("avgpool2d_exclude_pad", () -> new AvgPool2d(3, 2, 1, false));
        CASES.put("avgpool2d_tuple", () -> new AvgPool2d(new int[] {2, 3}, new int[] {2, 1}, new int[] {1, 0}, true));
        CASES.put("adaptive_uneven", () -> new AdaptiveAvgPool2d(3, 4));
        CASES.put("adaptive_global", () -> new AdaptiveAvgPool2d(1));
        CASES.put("adaptive_upsample", () -> new AdaptiveAvgPool2d(5, 3));
        CASES.put("adaptive_mixed_unbatched", () -> new AdaptiveAvgPool2d(2, 3));
        CASES.put("flatten_default", Flatten::new);
        CASES.put("flatten_range", () -> new Flatten(0, 2));
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
    void samePaddingKeepsTheSpatialSizeForOddAndEvenKernels() {
        Variable x = Variable.constant(Tensor.randn(new Rng(1), 1, 2, 7, 8));
        for (int k = 1; k <= 5; k++) {
            for (int dilation = 1; dilation <= 2; dilation++) {
                Conv2d conv = new Conv2d(2, 3, new int[] {k, k + 1}, new int[] {1, 1}, "same",
                        new int[] {dilation, dilation}, 1, true, new Rng(k));
                assertArrayEquals(new int[] {1, 3, 7, 8}, conv.forward(x).shape().toArray(), "kernel " + k);
            }
        }
    }

    @Test
    void invalidGeometryIsRejected() {
        // PyTorch: "padding='same' is not supported for strided convolutions"
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(2, 2, new int[] {3, 3}, new int[] {2, 1},
                "same", new int[] {1, 1}, 1, true, RNG));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, 1, 0, 1, 2, true, RNG));
        assertThrows(IllegalArgumentException.class, () -> new Conv1d(2, 2, 3, "full", RNG));
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(2, 2, 3, (String) null, RNG));
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveAvgPool2d(0));
        Conv2d conv = new Conv2d(3, 4, 3, RNG);
        assertThrows(IllegalArgumentException.class, () -> conv.forward(Variable.constant(Tensor.zeros(1, 2, 5, 5))));
        assertThrows(IllegalArgumentException.class, () -> conv.forward(Variable.constant(Tensor.zeros(5, 5))));
    }

    @Test
    void adaptivePoolingAveragesPyTorchsWindows() {
        // independent of PyTorch: the window rule start = floor(i In / Out), end = ceil((i + 1) In / Out) by hand
        int inH = 7;
        int inW = 5;
        int outH = 3;
        int outW = 4;
        double[] x = new double[inH * inW];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(1.7 * i) + i * 0.01;
        }
        Tensor y = F.adaptiveAvgPool2d(Variable.constant(Tensor.of(x, 1, 1, inH, inW)), outH, outW).value();
        double[] got = y.toDoubleArray();
        for (int i = 0; i < outH; i++) {
            int h0 = Math.floorDiv(i * inH, outH);
            int h1 = -Math.floorDiv(-(i + 1) * inH, outH);
            for (int j = 0; j < outW; j++) {
                int w0 = Math.floorDiv(j * inW, outW);
                int w1 = -Math.floorDiv(-(j + 1) * inW, outW);
                double sum = 0;
                for (int h = h0; h < h1; h++) {
                    for (int w = w0; w < w1; w++) {
                        sum += x[h * inW + w];
                    }
                }
                assertEquals(sum / ((h1 - h0) * (w1 - w0)), got[i * outW + j], 1e-14, "cell " + i + ", " + j);
            }
        }
    }

    @Test
    void adaptivePoolingAndConvolutionHaveSecondDerivatives() {
        Rng rng = new Rng(3);
        List<Tensor> pool = List.of(Tensor.randn(rng, DType.FLOAT64, 2, 2, 5, 7));
        assertTrue(GradCheck.gradcheck(v -> F.adaptiveAvgPool2d(v.get(0), 3, 2).square().sum(), pool).passed());
        assertTrue(GradCheck.gradgradcheck(v -> F.adaptiveAvgPool2d(v.get(0), 3, 2).square().sum(), pool).passed());
        List<Tensor> conv = List.of(Tensor.randn(rng, DType.FLOAT64, 1, 4, 4, 5),
                Tensor.randn(rng, DType.FLOAT64, 2, 2, 2, 3), Tensor.randn(rng, DType.FLOAT64, 2));
        var report = GradCheck.gradgradcheck(v -> F.conv2d(v.get(0), v.get(1), v.get(2),
                new ConvSpec(2, 1, 1, 0, 1, 2, 2)).tanh().sum(), conv);
        assertTrue(report.passed(), report.toString());
        // "same" with an even kernel pads the input explicitly: still differentiable twice
        Conv2d same = new Conv2d(2, 2, new int[] {2, 3}, new int[] {1, 1}, "same", new int[] {1, 1}, 1, true, rng);
        same.to(DType.FLOAT64);
        report = GradCheck.gradgradcheck(v -> same.forward(v.get(0)).tanh().sum(),
                List.of(Tensor.randn(rng, DType.FLOAT64, 1, 2, 3, 4)));
        assertTrue(report.passed(), report.toString());
    }
}
