package dev.descent.tensor.cpu;

import dev.descent.tensor.ConvSpec;
import dev.descent.tensor.Convolution;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The C col2im ({@link NativeConv}) against the Java loop of {@link ConvColumns#col2im}, bit for bit, through the
 * input gradient of conv2d on strides, padding (both axes), dilation and groups, and its range check. The Java loop
 * itself is checked against the definition and finite differences elsewhere (ConvolutionTest, the autograd
 * gradient checks).
 */
class NativeConvTest {
    @BeforeEach
    void chunkedPath() {
        NativeConvSamples.setEnabled(false); // the per-sample kernels (ConvBySampleTest) do not use this col2im
    }

    @AfterEach
    void restore() {
        NativeConv.setEnabled(true);
        NativeConvSamples.setEnabled(true);
    }

    @Test
    void inputGradientGivesTheJavaBits() {
        if (NativeLibrary.problem() != null) {
            return; // nothing to compare: the Java loop is the only one
        }
        Rng rng = new Rng(5);
        ConvSpec[] specs = {ConvSpec.of(1, 0, 1, 1), ConvSpec.of(2, 1, 1, 1), ConvSpec.of(1, 2, 2, 1),
            ConvSpec.of(1, 1, 1, 2), new ConvSpec(2, 1, 0, 2, 1, 2, 1), new ConvSpec(1, 3, 2, 1, 2, 1, 4)};
        for (ConvSpec spec : specs) {
            for (int width : new int[] {11, 3}) { // a width of 3 leaves runs of a single column
                int c = 8;
                int kernel = 3;
                Shape input = Shape.of(5, c, 13, width);
                Tensor w = Tensor.randn(rng, 6 * spec.groups(), c / spec.groups(), kernel, kernel);
                int oh = spec.outHeight(13, kernel);
                int ow = spec.outWidth(width, kernel);
                if (ow <= 0) {
                    continue;
                }
                Tensor gy = Tensor.randn(rng, 5, w.size(0), oh, ow);
                NativeConv.setEnabled(false);
                float[] java = Convolution.conv2dInputGrad(gy, w, input, spec).toFloatArray();
                NativeConv.setEnabled(true);
                float[] c2 = Convolution.conv2dInputGrad(gy, w, input, spec).toFloatArray();
                assertArrayEquals(bits(java), bits(c2), spec + ", width " + width);
            }
        }
    }

    @Test
    void rangesAreCheckedBeforeTheCall() {
        ConvKernels.Geometry g = new ConvKernels.Geometry(ConvSpec.of(1, 0, 1, 1), Shape.of(2, 3, 5, 5),
                Shape.of(4, 3, 3, 3));
        int ld = 2 * g.p;
        float[] cols = new float[g.kc * ld];
        float[] dx = new float[2 * 3 * 5 * 5];
        assertThrows(IllegalStateException.class, () -> NativeConv.col2im(g, new float[g.kc * ld - 1], ld, dx, 0, 0, 0,
                0, 6));
        assertThrows(IllegalStateException.class, () -> NativeConv.col2im(g, cols, ld, new float[dx.length - 1], 0, 0,
                0, 0, 6));
        assertThrows(IllegalStateException.class, () -> NativeConv.col2im(g, cols, ld, dx, 1, 0, 0, 0, 6));
        assertThrows(IllegalStateException.class, () -> NativeConv.col2im(g, cols, ld - 1, dx, 0, 0, 0, 0, 6));
    }

    private static int[] bits(float[] v) {
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = Float.floatToIntBits(v[i]);
        }
        return bits;
    }
}
