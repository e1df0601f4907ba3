package dev.descent.tensor.cpu;

import dev.descent.tensor.PoolSpec;
import dev.descent.tensor.Pooling;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The C 2 x 2 max pooling ({@link NativePool}) against the Java loop of {@link MaxPoolTwoByTwo}, bit for bit in
 * values and positions, on inputs built to tie: values drawn from a few, with 0.0 and -0.0 (equal, so the first
 * wins and its sign is kept) and NaNs of two payloads (the last NaN of a window wins). Shapes cover odd sizes (a
 * last row and column left out), rows of more than 16 windows with a partial block, and a single window. The Java
 * loop itself is checked against the definition in PoolingTest.
 */
class NativePoolTest {
    private static final float[] VALUES = {0f, -0f, 1f, -1f, 2.5f, Float.intBitsToFloat(0x7fc00001),
        Float.intBitsToFloat(0x7fc00002), Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 1f};

    @AfterEach
    void restore() {
        NativePool.setEnabled(true);
    }

    @Test
    void givesTheJavaBits() {
        Assumptions.assumeTrue(NativePool.active(), "no C pooling here (library or AVX-512 missing)");
        Rng rng = new Rng(9);
        int[][] shapes = {{2, 3, 26, 26}, {1, 2, 7, 9}, {3, 1, 4, 70}, {1, 1, 2, 2}, {2, 5, 11, 33}};
        for (int[] s : shapes) {
            for (boolean ties : new boolean[] {true, false}) {
                Tensor x = ties ? tied(rng, s) : Tensor.randn(rng, s);
                PoolSpec spec = PoolSpec.of(2, 2, 0);
                NativePool.setEnabled(false);
                Tensor.ValuesAndIndices loop = Pooling.maxPool2d(x, spec);
                NativePool.setEnabled(true);
                Tensor.ValuesAndIndices c = Pooling.maxPool2d(x, spec);
                String what = java.util.Arrays.toString(s) + (ties ? ", tied" : ", random");
                assertArrayEquals(bits(loop.values().toFloatArray()), bits(c.values().toFloatArray()), what);
                assertArrayEquals(loop.indices().toLongArray(), c.indices().toLongArray(), what);
            }
        }
    }

    @Test
    void rangesAreCheckedBeforeTheCall() {
        float[] x = new float[2 * 16];
        float[] out = new float[2 * 4];
        long[] idx = new long[2 * 4];
        assertThrows(IllegalStateException.class, () -> NativePool.maxTwoByTwo(new float[31], 0, 16, out, 0, idx, 0, 4,
                4, 2, 2, 0, 2));
        assertThrows(IllegalStateException.class, () -> NativePool.maxTwoByTwo(x, 0, 16, new float[7], 0, idx, 0, 4,
                4, 2, 2, 0, 2));
        assertThrows(IllegalStateException.class, () -> NativePool.maxTwoByTwo(x, 0, 16, out, 0, new long[7], 0, 4,
                4, 2, 2, 0, 2));
        assertThrows(IllegalStateException.class, () -> NativePool.maxTwoByTwo(x, 0, 16, out, 0, idx, 0, 4, 4, 2, 3, 0,
                2));
    }

    private static Tensor tied(Rng rng, int[] shape) {
        Tensor pick = Tensor.randint(rng, 0, VALUES.length, shape);
        long[] p = pick.toLongArray();
        float[] v = new float[p.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = VALUES[(int) p[i]];
        }
        return Tensor.of(v, shape);
    }

    private static int[] bits(float[] v) {
        int[] bits = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            bits[i] = Float.floatToRawIntBits(v[i]);
        }
        return bits;
    }
}
