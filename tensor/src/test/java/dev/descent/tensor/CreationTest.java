package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Creation functions, random tensors, casts and host access. */
class CreationTest {
    static final Set<String> COVERS = Set.of("zeros", "ones", "full", "scalar", "of", "fromArray", "arange", "linspace",
            "eye", "rand", "randn", "randint", "bernoulli", "randperm", "zerosLike", "onesLike", "cast", "to", "item",
            "getDouble", "getLong", "toFloatArray", "toDoubleArray", "toLongArray", "toBooleanArray");

    @Test
    void constantTensors() {
        assertArrayEquals(new float[6], Tensor.zeros(2, 3).toFloatArray());
        assertEquals(DType.FLOAT32, Tensor.zeros(2).dtype());
        assertArrayEquals(new long[] {1, 1}, Tensor.ones(DType.INT64, 2).toLongArray());
        assertArrayEquals(new double[] {1, 1, 1}, Tensor.ones(3).toDoubleArray());
        assertArrayEquals(new double[] {2.5, 2.5}, Tensor.full(DType.FLOAT64, 2.5, 1, 2).toDoubleArray());
        assertArrayEquals(new float[] {-1, -1}, Tensor.full(-1, 2).toFloatArray());
        assertEquals(0, Tensor.scalar(4).dim());
        assertEquals(4.0, Tensor.scalar(4).item());
        assertEquals(DType.FLOAT64, Tensor.scalar(DType.FLOAT64, 1).dtype());
        assertEquals(0, Tensor.zeros(0, 3).numel());
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        assertArrayEquals(new double[4], x.zerosLike().toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 1, 1}, x.onesLike().toDoubleArray());
        assertEquals(DType.FLOAT64, x.onesLike().dtype());
    }

    @Test
    void fromJavaArraysOfAnyRank() {
        Tensor t = Tensor.fromArray(new float[][][] {{{1, 2}, {3, 4}, {5, 6}}});
        assertArrayEquals(new int[] {1, 3, 2}, t.shape().toArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloatArray());
        assertEquals(DType.INT64, Tensor.fromArray(new int[][] {{1, 2}}).dtype());
        assertEquals(DType.FLOAT64, Tensor.fromArray(new double[] {1}).dtype());
        assertEquals(DType.BOOL, Tensor.fromArray(new boolean[][] {{true}, {false}}).dtype());
        assertArrayEquals(new long[] {7, 8}, Tensor.of(7L, 8L).toLongArray());
        assertArrayEquals(new boolean[] {true, false}, Tensor.of(true, false).toBooleanArray());
        assertArrayEquals(new int[] {2, 2}, Tensor.of(new long[] {1, 2, 3, 4}, 2, 2).shape().toArray());
        assertArrayEquals(new float[] {1, 2}, Tensor.of(new float[] {1, 2}, 2, 1).toFloatArray());
        float[] source = {1, 2};
        Tensor copy = Tensor.of(source);
        source[0] = 9;
        assertEquals(1.0, copy.getDouble(0), "of copies its argument");
    }

    @Test
    void rangesAndIdentity() {
        assertArrayEquals(new long[] {0, 1, 2, 3}, Tensor.arange(4).toLongArray());
        assertArrayEquals(new long[] {5, 3, 1}, Tensor.arange(5, 0, -2).toLongArray());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75}, Tensor.arange(DType.FLOAT64, 0, 1, 0.25).toDoubleArray());
        assertEquals(0, Tensor.arange(3, 3, 1).numel());
        double[] lin = Tensor.linspace(DType.FLOAT64, -1, 2, 7).toDoubleArray();
        for (int i = 0; i < 7; i++) {
            assertEquals(-1 + 0.5 * i, lin[i], 1e-15);
        }
        assertEquals(2.0, lin[6], 0.0, "the end point is exact");
        assertArrayEquals(new float[] {3}, Tensor.linspace(3, 9, 1).toFloatArray());
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, Tensor.eye(3).toFloatArray());
        assertArrayEquals(new long[] {1, 0, 0, 0, 1, 0}, Tensor.eye(DType.INT64, 2, 3).toLongArray());
    }

    @Test
    void randomTensorsHaveTheirDistributions() {
        Rng rng = new Rng(77);
        int n = 200_000;
        double[] u = Tensor.rand(rng, n).toDoubleArray();
        assertEquals(0.5, mean(u), 0.005);
        assertEquals(1.0 / 12, variance(u), 0.002);
        assertTrue(Arrays.stream(u).allMatch(v -> v >= 0 && v < 1));
        double[] z = Tensor.randn(rng, DType.FLOAT64, n).toDoubleArray();
        assertEquals(0, mean(z), 0.01);
        assertEquals(1, variance(z), 0.01);
        long[] ints = Tensor.randint(rng, -3, 4, n).toLongArray();
        assertTrue(Arrays.stream(ints).allMatch(v -> v >= -3 && v < 4));
        assertEquals(0.0, Arrays.stream(ints).average().orElseThrow(), 0.02);
        double[] coins = Tensor.bernoulli(rng, 0.3, n).toDoubleArray();
        assertEquals(0.3, mean(coins), 0.005);
        double[] p = Tensor.of(0.0, 1.0, 0.0, 1.0).bernoulli(rng).toDoubleArray();
        assertArrayEquals(new double[] {0, 1, 0, 1}, p);
        long[] perm = Tensor.randperm(rng, 50).toLongArray();
        long[] sorted = perm.clone();
        Arrays.sort(sorted);
        assertArrayEquals(Tensor.arange(50).toLongArray(), sorted);
        assertTrue(!Arrays.equals(perm, sorted), "a permutation of 50 is almost never the identity");
        assertArrayEquals(Tensor.rand(new Rng(3), 5).toFloatArray(), Tensor.rand(new Rng(3), 5).toFloatArray());
        assertEquals(DType.FLOAT64, Tensor.rand(rng, DType.FLOAT64, 2).dtype());
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }

    private static double variance(double[] v) {
        double m = mean(v);
        return Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1);
    }

    @Test
    void castsFollowPyTorch() {
        Tensor x = Tensor.of(-1.7, -0.2, 0.0, 2.9);
        assertArrayEquals(new long[] {-1, 0, 0, 2}, x.cast(DType.INT64).toLongArray(), "toward zero");
        assertArrayEquals(new boolean[] {true, true, false, true}, x.cast(DType.BOOL).toBooleanArray());
        assertArrayEquals(new float[] {1, 0}, Tensor.of(true, false).cast(DType.FLOAT32).toFloatArray());
        assertArrayEquals(new long[] {1, 0}, Tensor.of(true, false).cast(DType.INT64).toLongArray());
        long big = (1L << 62) + 1;
        assertEquals(big, Tensor.of(big).cast(DType.INT64).getLong(0));
        assertSame(x, x.cast(DType.FLOAT64));
        assertNotSame(x, x.cast(DType.FLOAT32));
        assertSame(x, x.to(Device.CPU));
        assertEquals((float) 2.9, x.cast(DType.FLOAT32).toFloatArray()[3]);
    }

    @Test
    void hostAccess() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(6.0, x.getDouble(1, 2));
        assertEquals(5L, Tensor.arange(6).reshape(2, 3).getLong(1, 2));
        assertEquals(4.0, x.t().getDouble(0, 1));
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, x.t().toDoubleArray());
        assertArrayEquals(new long[] {1, 4, 2, 5, 3, 6}, x.t().toLongArray());
    }
}
