package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** matmul (torch.matmul's rules), dot and outer against triple loops in double. */
class MatMulTest {
    static final Set<String> COVERS = Set.of("matmul", "dot", "outer");

    /** Batched product by definition: batch dims broadcast, 1-D operands promoted and the extra dim dropped. */
    static Ref reference(Ref a, Ref b) {
        int[] as = a.rank() == 1 ? new int[] {1, a.shape()[0]} : a.shape();
        int[] bs = b.rank() == 1 ? new int[] {b.shape()[0], 1} : b.shape();
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int n = bs[bs.length - 1];
        int[] batchA = java.util.Arrays.copyOf(as, as.length - 2);
        int[] batchB = java.util.Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Ref.broadcast(batchA, batchB);
        int[] outShape = java.util.Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        double[] v = new double[Ref.numel(outShape)];
        Ref a2 = Ref.of(as, a.v());
        Ref b2 = Ref.of(bs, b.v());
        for (int o = 0; o < v.length; o++) {
            int[] c = Ref.coords(outShape, o);
            double s = 0;
            for (int p = 0; p < k; p++) {
                int[] ca = c.clone();
                ca[c.length - 1] = p;
                int[] cb = c.clone();
                cb[c.length - 2] = p;
                s += a2.atBroadcast(ca) * b2.atBroadcast(cb);
            }
            v[o] = s;
        }
        int[] finalShape = outShape;
        if (a.rank() == 1 && b.rank() == 1) {
            finalShape = new int[0];
        } else if (a.rank() == 1) {
            finalShape = remove(outShape, outShape.length - 2);
        } else if (b.rank() == 1) {
            finalShape = remove(outShape, outShape.length - 1);
        }
        return Ref.of(finalShape, v);
    }

    private static int[] remove(int[] s, int i) {
        int[] out = new int[s.length - 1];
        for (int d = 0, j = 0; d < s.length; d++) {
            if (d != i) {
                out[j++] = s[d];
            }
        }
        return out;
    }

    @Test
    void everyRankCombinationWithBroadcastBatches() {
        Rng rng = new Rng(21);
        int[][][] cases = {
                {{4}, {4}}, {{3, 4}, {4}}, {{4}, {4, 5}}, {{1, 1}, {1, 1}}, {{3, 4}, {4, 5}}, {{2, 3, 4}, {4, 5}},
                {{2, 3, 4}, {4}}, {{4}, {2, 4, 5}}, {{2, 1, 3, 4}, {5, 4, 2}}, {{1, 3, 4}, {6, 4, 2}},
                {{2, 3, 0}, {0, 5}}, {{7, 1}, {1, 9}}, {{1, 9}, {9, 1}}, {{3, 2, 5, 4}, {3, 1, 4, 6}}};
        for (DType dtype : Inputs.FLOATS) {
            for (int[][] c : cases) {
                Ref a = Inputs.values(rng, dtype, c[0], -2, 2);
                Ref b = Inputs.values(rng, dtype, c[1], -2, 2);
                Ref expected = reference(a, b);
                for (Inputs.Layout la : Inputs.layouts(a, dtype)) {
                    for (Inputs.Layout lb : Inputs.layouts(b, dtype)) {
                        Ref.assertClose("matmul " + dtype + " " + java.util.Arrays.deepToString(c) + " " + la.name() + "/"
                                + lb.name(), expected, la.tensor().matmul(lb.tensor()), tol(dtype), tol(dtype));
                    }
                }
            }
        }
    }

    private static double tol(DType dtype) {
        return dtype == DType.FLOAT32 ? 2e-5 : 1e-12;
    }

    @Test
    void squareAndRectangularSizesWithTransposedOperands() {
        Rng rng = new Rng(22);
        for (int[] mkn : List.of(new int[] {1, 1, 1}, new int[] {17, 33, 9}, new int[] {64, 64, 64}, new int[] {130, 70, 257},
                new int[] {5, 300, 2})) {
            for (DType dtype : Inputs.FLOATS) {
                int m = mkn[0];
                int k = mkn[1];
                int n = mkn[2];
                Ref a = Inputs.values(rng, dtype, new int[] {m, k}, -1, 1);
                Ref b = Inputs.values(rng, dtype, new int[] {k, n}, -1, 1);
                Ref expected = reference(a, b);
                Tensor ta = Inputs.tensor(a, dtype);
                Tensor tb = Inputs.tensor(b, dtype);
                // stored transposed and viewed back: BLAS reads them with the transpose flag
                Tensor aT = ta.t().contiguous().t();
                Tensor bT = tb.t().contiguous().t();
                double t = dtype == DType.FLOAT32 ? 1e-4 : 1e-12;
                Ref.assertClose("plain", expected, ta.matmul(tb), t, t);
                Ref.assertClose("a transposed", expected, aT.matmul(tb), t, t);
                Ref.assertClose("b transposed", expected, ta.matmul(bT), t, t);
                Ref.assertClose("both transposed", expected, aT.matmul(bT), t, t);
                // a view BLAS cannot read in place (no unit stride) is copied first
                Tensor strided = Inputs.layouts(a, dtype).stream().filter(l -> l.name().equals("sliced")).findFirst()
                        .orElseThrow().tensor();
                Ref.assertClose("strided", expected, strided.matmul(tb), t, t);
            }
        }
    }

    @Test
    void dotAndOuter() {
        Tensor a = Tensor.of(1.0, 2.0, 3.0);
        Tensor b = Tensor.of(4.0, -5.0, 6.0);
        assertArrayEquals(new double[] {4 - 10 + 18}, a.dot(b).toDoubleArray());
        assertArrayEquals(new int[0], a.dot(b).shape().toArray());
        assertArrayEquals(new double[] {4, -5, 6, 8, -10, 12, 12, -15, 18}, a.outer(b).toDoubleArray());
        assertArrayEquals(new int[] {3, 3}, a.outer(b).shape().toArray());
    }
}
