package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Index-driven operations against loops over coordinates, in every dtype. */
class IndexingTest {
    static final Set<String> COVERS = Set.of("indexSelect", "gather", "scatterAdd", "scatterAdd_", "take", "oneHot",
            "maskedFill", "where");

    private static final List<DType> DTYPES = List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL);

    @Test
    void indexSelectAlongEveryAxis() {
        Rng rng = new Rng(41);
        for (DType dtype : DTYPES) {
            for (int trial = 0; trial < 10; trial++) {
                int[] shape = Inputs.shape(rng, 3, 5);
                if (shape.length == 0) {
                    shape = new int[] {4};
                }
                int axis = rng.nextInt(shape.length);
                long[] idx = Tensor.randint(rng, 0, shape[axis], 1 + rng.nextInt(6)).toLongArray();
                Ref in = Inputs.values(rng, dtype, shape, 0, 9);
                int[] outShape = shape.clone();
                outShape[axis] = idx.length;
                double[] v = new double[Ref.numel(outShape)];
                for (int i = 0; i < v.length; i++) {
                    int[] c = Ref.coords(outShape, i);
                    c[axis] = (int) idx[c[axis]];
                    v[i] = in.v()[Ref.flat(shape, c)];
                }
                for (Inputs.Layout l : Inputs.layouts(in, dtype)) {
                    Ref.assertExact("indexSelect " + l.name(), Ref.of(outShape, v), l.tensor().indexSelect(axis, Tensor.of(idx)));
                }
            }
        }
    }

    @Test
    void gatherAndScatterAddAreAdjoint() {
        Rng rng = new Rng(42);
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64)) {
            for (int trial = 0; trial < 10; trial++) {
                int[] shape = Inputs.shape(rng, 3, 5);
                if (shape.length == 0) {
                    shape = new int[] {4};
                }
                int axis = rng.nextInt(shape.length);
                int[] idxShape = shape.clone();
                for (int d = 0; d < idxShape.length; d++) {
                    idxShape[d] = d == axis ? 1 + rng.nextInt(6) : 1 + rng.nextInt(shape[d]);
                }
                Tensor index = Tensor.randint(rng, 0, shape[axis], idxShape);
                long[] idx = index.toLongArray();
                Ref in = Inputs.values(rng, dtype, shape, 0, 9);
                Ref src = Inputs.values(rng, dtype, idxShape, 0, 9);
                double[] gathered = new double[idx.length];
                double[] scattered = in.v().clone();
                for (int i = 0; i < idx.length; i++) {
                    int[] c = Ref.coords(idxShape, i);
                    c[axis] = (int) idx[i];
                    gathered[i] = in.v()[Ref.flat(shape, c)];
                    scattered[Ref.flat(shape, c)] += src.v()[i];
                }
                for (Inputs.Layout l : Inputs.layouts(in, dtype)) {
                    Ref.assertExact("gather " + l.name(), Ref.of(idxShape, gathered), l.tensor().gather(axis, index));
                    if (!l.name().equals("expanded")) {
                        double tol = dtype == DType.FLOAT32 ? 1e-6 : 1e-13; // float32 sums round
                        Ref.assertClose("scatterAdd " + l.name(), Ref.of(shape, scattered),
                                l.tensor().scatterAdd(axis, index, Inputs.tensor(src, dtype)), tol, tol);
                    }
                }
            }
        }
    }

    @Test
    void repeatedScatterPositionsAccumulate() {
        Tensor self = Tensor.zeros(DType.FLOAT64, 3);
        self.scatterAdd_(0, Tensor.of(0L, 2L, 0L, 0L), Tensor.of(1.0, 2.0, 3.0, 4.0));
        assertArrayEquals(new double[] {8, 0, 2}, self.toDoubleArray());
    }

    @Test
    void takeAndOneHot() {
        Tensor x = Tensor.of(new double[] {10, 11, 12, 13, 14, 15}, 2, 3);
        Tensor idx = Tensor.of(new long[] {5, 0, 3, 3}, 2, 2);
        Tensor taken = x.t().take(idx); // flat positions of the transposed view: [10, 13, 11, 14, 12, 15]
        assertArrayEquals(new double[] {15, 10, 14, 14}, taken.toDoubleArray());
        assertArrayEquals(new int[] {2, 2}, taken.shape().toArray());
        Tensor oh = Tensor.of(2L, 0L, 1L).oneHot(3);
        assertEquals(DType.INT64, oh.dtype());
        assertArrayEquals(new long[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, oh.toLongArray());
        assertArrayEquals(new int[] {2, 1, 4}, Tensor.of(new long[] {3, 1}, 2, 1).oneHot(4).shape().toArray());
    }

    @Test
    void maskedFillBroadcastsTheMask() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor mask = Tensor.of(true, false, true);
        assertArrayEquals(new double[] {0, 2, 0, 0, 5, 0}, x.maskedFill(mask, 0).toDoubleArray());
        assertArrayEquals(new double[] {1, -9, 3, 4, -9, 6},
                Tensor.where(mask, x, -9).toDoubleArray(), "where with a scalar");
    }
}
