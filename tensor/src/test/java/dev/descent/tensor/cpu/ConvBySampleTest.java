package dev.descent.tensor.cpu;

import dev.descent.tensor.ConvSpec;
import dev.descent.tensor.Convolution;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Threads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The per-sample convolution kernels ({@link ConvBySample}, {@link NativeConvSamples}) bit for bit against loops
 * written here from the definition, with every sum in the order the kernels promise: each product element one
 * chain of {@link Math#fma} over its reduction index, the bias added after, the input gradient's columns added
 * back tap by tap, and the weight gradient summed per fixed chunk of samples, chunks added in order. The
 * geometries cover padding, strides (the strided copies), dilation, groups, rectangular kernels, rows longer than
 * one 16-float block, output blocks with partial tiles, and more samples than weight-gradient chunks; each runs on
 * one thread and on two, which must give the same bits.
 */
class ConvBySampleTest {
    private record Case(int n, int c, int h, int w, int o, int kh, int kw, ConvSpec spec) {
    }

    private static final Case[] CASES = {
        new Case(5, 6, 9, 9, 20, 3, 3, ConvSpec.of(1, 0, 1, 1)),
        new Case(3, 3, 7, 21, 5, 3, 3, ConvSpec.of(1, 1, 1, 1)),
        new Case(4, 4, 11, 12, 6, 3, 3, ConvSpec.of(2, 1, 1, 1)),
        new Case(3, 4, 10, 10, 6, 3, 2, new ConvSpec(1, 1, 1, 0, 2, 2, 2)),
        new Case(2, 8, 13, 11, 12, 3, 3, new ConvSpec(2, 1, 0, 2, 1, 2, 1)),
        new Case(2, 8, 3, 40, 8, 1, 1, ConvSpec.of(1, 0, 1, 4)),
        new Case(17, 2, 5, 5, 3, 2, 2, ConvSpec.of(1, 0, 1, 1)),
    };

    private int threadsBefore;

    @BeforeEach
    void needsTheKernels() {
        threadsBefore = Threads.get();
        Assumptions.assumeTrue(NativeConvSamples.active(), "no per-sample kernels here (library or AVX-512 missing)");
    }

    @AfterEach
    void restore() {
        Threads.set(threadsBefore);
    }

    @Test
    void forwardWithBiasGivesTheFmaChainBits() {
        Rng rng = new Rng(11);
        for (Case k : CASES) {
            Tensor x = Tensor.randn(rng, k.n, k.c, k.h, k.w);
            Tensor w = Tensor.randn(rng, k.o, k.c / k.spec.groups(), k.kh, k.kw);
            Tensor b = Tensor.randn(rng, k.o);
            int[] expected = bits(forward(k, x.toFloatArray(), w.toFloatArray(), b.toFloatArray()));
            for (int threads : new int[] {1, 2}) {
                Threads.set(threads);
                assertArrayEquals(expected, bits(Convolution.conv2d(x, w, b, k.spec).toFloatArray()), k + ", threads " + threads);
            }
        }
    }

    @Test
    void inputGradientGivesTheFmaChainBits() {
        Rng rng = new Rng(12);
        for (Case k : CASES) {
            Tensor w = Tensor.randn(rng, k.o, k.c / k.spec.groups(), k.kh, k.kw);
            Tensor gy = Tensor.randn(rng, k.n, k.o, outH(k), outW(k));
            int[] expected = bits(inputGrad(k, gy.toFloatArray(), w.toFloatArray()));
            for (int threads : new int[] {1, 2}) {
                Threads.set(threads);
                Tensor dx = Convolution.conv2dInputGrad(gy, w, Shape.of(k.n, k.c, k.h, k.w), k.spec);
                assertArrayEquals(expected, bits(dx.toFloatArray()), k + ", threads " + threads);
            }
        }
    }

    @Test
    void weightGradientGivesTheChunkedFmaChainBits() {
        Rng rng = new Rng(13);
        for (Case k : CASES) {
            Tensor x = Tensor.randn(rng, k.n, k.c, k.h, k.w);
            Tensor gy = Tensor.randn(rng, k.n, k.o, outH(k), outW(k));
            int[] expected = bits(weightGrad(k, x.toFloatArray(), gy.toFloatArray()));
            Shape ws = Shape.of(k.o, k.c / k.spec.groups(), k.kh, k.kw);
            for (int threads : new int[] {1, 2}) {
                Threads.set(threads);
                assertArrayEquals(expected, bits(Convolution.conv2dWeightGrad(x, gy, ws, k.spec).toFloatArray()),
                        k + ", threads " + threads);
            }
        }
    }

    @Test
    void rangesAreCheckedBeforeTheCall() {
        ConvKernels.Geometry g = new ConvKernels.Geometry(ConvSpec.of(1, 0, 1, 1), Shape.of(2, 3, 5, 5),
                Shape.of(4, 3, 3, 3));
        float[] x = new float[2 * 3 * 5 * 5];
        float[] w = new float[4 * 27];
        float[] out = new float[2 * 4 * 9];
        float[] scratch = new float[NativeConvSamples.weightScratch(g)];
        assertThrows(IllegalStateException.class, () -> NativeConvSamples.forward(g, new float[x.length - 1], 0, w, 0,
                null, 0, out, 0, 0, 2, scratch));
        assertThrows(IllegalStateException.class, () -> NativeConvSamples.forward(g, x, 0, w, 0, new float[3], 0, out,
                0, 0, 2, scratch));
        assertThrows(IllegalStateException.class, () -> NativeConvSamples.forward(g, x, 0, w, 0, null, 0, out, 1, 0, 2,
                scratch));
        assertThrows(IllegalStateException.class, () -> NativeConvSamples.forward(g, x, 0, w, 0, null, 0, out, 0, 0, 3,
                scratch));
        assertThrows(IllegalStateException.class, () -> NativeConvSamples.inputGrad(g, out, 0, w, x, 0, 0, 2,
                new float[NativeConvSamples.columnScratch(g) - 1]));
        assertThrows(IllegalStateException.class, () -> NativeConvSamples.weightGrad(g, x, 0, out, 0, new float[w.length
                - 1], 0, 2, scratch));
    }

    // ------------------------------------------------------------------ the definition, in the kernels' order

    private static int outH(Case k) {
        return k.spec.outHeight(k.h, k.kh);
    }

    private static int outW(Case k) {
        return k.spec.outWidth(k.w, k.kw);
    }

    /** x[s, ch, ih, iw], 0 outside the image. */
    private static float input(Case k, float[] x, int s, int ch, int ih, int iw) {
        return ih < 0 || ih >= k.h || iw < 0 || iw >= k.w ? 0f : x[((s * k.c + ch) * k.h + ih) * k.w + iw];
    }

    private static int inRow(Case k, int oh, int i) {
        return oh * k.spec.strideH() + i * k.spec.dilationH() - k.spec.padH();
    }

    private static int inCol(Case k, int ow, int j) {
        return ow * k.spec.strideW() + j * k.spec.dilationW() - k.spec.padW();
    }

    private static float[] forward(Case k, float[] x, float[] w, float[] b) {
        int cg = k.c / k.spec.groups();
        int og = k.o / k.spec.groups();
        int oh = outH(k);
        int ow = outW(k);
        float[] out = new float[k.n * k.o * oh * ow];
        for (int s = 0; s < k.n; s++) {
            for (int o = 0; o < k.o; o++) {
                int grp = o / og;
                for (int y = 0; y < oh; y++) {
                    for (int z = 0; z < ow; z++) {
                        float acc = 0f;
                        for (int ch = 0; ch < cg; ch++) {
                            for (int i = 0; i < k.kh; i++) {
                                for (int j = 0; j < k.kw; j++) {
                                    float v = input(k, x, s, grp * cg + ch, inRow(k, y, i), inCol(k, z, j));
                                    acc = Math.fma(w[((o * cg + ch) * k.kh + i) * k.kw + j], v, acc);
                                }
                            }
                        }
                        out[((s * k.o + o) * oh + y) * ow + z] = acc + b[o];
                    }
                }
            }
        }
        return out;
    }

    private static float[] inputGrad(Case k, float[] gy, float[] w) {
        int cg = k.c / k.spec.groups();
        int og = k.o / k.spec.groups();
        int oh = outH(k);
        int ow = outW(k);
        float[] dx = new float[k.n * k.c * k.h * k.w];
        for (int s = 0; s < k.n; s++) {
            for (int grp = 0; grp < k.spec.groups(); grp++) {
                for (int ch = 0; ch < cg; ch++) {
                    for (int i = 0; i < k.kh; i++) {
                        for (int j = 0; j < k.kw; j++) {
                            for (int y = 0; y < oh; y++) {
                                for (int z = 0; z < ow; z++) {
                                    float col = 0f; // dcols[(ch, i, j), (y, z)]: a chain over the group's outputs
                                    for (int r = 0; r < og; r++) {
                                        int o = grp * og + r;
                                        col = Math.fma(w[((o * cg + ch) * k.kh + i) * k.kw + j],
                                                gy[((s * k.o + o) * oh + y) * ow + z], col);
                                    }
                                    int ih = inRow(k, y, i);
                                    int iw = inCol(k, z, j);
                                    if (ih >= 0 && ih < k.h && iw >= 0 && iw < k.w) {
                                        dx[((s * k.c + grp * cg + ch) * k.h + ih) * k.w + iw] += col;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    private static float[] weightGrad(Case k, float[] x, float[] gy) {
        int cg = k.c / k.spec.groups();
        int og = k.o / k.spec.groups();
        int oh = outH(k);
        int ow = outW(k);
        int kc = cg * k.kh * k.kw;
        int chunks = Math.min(k.n, ConvBySample.WEIGHT_CHUNKS);
        float[] total = new float[k.o * kc];
        for (int c = 0; c < chunks; c++) {
            float[] partial = new float[k.o * kc];
            for (int o = 0; o < k.o; o++) {
                int grp = o / og;
                for (int ch = 0; ch < cg; ch++) {
                    for (int i = 0; i < k.kh; i++) {
                        for (int j = 0; j < k.kw; j++) {
                            float acc = 0f;
                            for (int s = k.n * c / chunks; s < k.n * (c + 1) / chunks; s++) {
                                for (int y = 0; y < oh; y++) {
                                    for (int z = 0; z < ow; z++) {
                                        float v = input(k, x, s, grp * cg + ch, inRow(k, y, i), inCol(k, z, j));
                                        acc = Math.fma(v, gy[((s * k.o + o) * oh + y) * ow + z], acc);
                                    }
                                }
                            }
                            partial[o * kc + (ch * k.kh + i) * k.kw + j] = acc;
                        }
                    }
                }
            }
            for (int e = 0; e < total.length; e++) {
                total[e] = c == 0 ? partial[e] : total[e] + partial[e];
            }
        }
        float[] dw = new float[total.length];
        for (int e = 0; e < dw.length; e++) {
            dw[e] += total[e];
        }
        return dw;
    }

    private static int[] bits(float[] v) {
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = Float.floatToIntBits(v[i]);
        }
        return bits;
    }
}
