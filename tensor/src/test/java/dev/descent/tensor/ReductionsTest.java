package dev.descent.tensor;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reductions over random sets of axes, with and without keepDim, against accumulation loops in double
 * that visit the input element by element.
 */
class ReductionsTest {

    /** Reduces the values of one output group (in row-major input order) to one number. */
    interface Fold {
        double apply(double[] group);
    }

    /** One reduction: its call with (axes, keepDim), its fold, the input range, and its kernel. */
    record Entry(String method, Call call, Fold fold, double lo, double hi, List<DType> dtypes, ReduceOp kernel) {
    }

    interface Call {
        Tensor apply(Tensor x, int[] axes, boolean keepDim);
    }

    private static final List<DType> FLOATS = List.of(DType.FLOAT32, DType.FLOAT64);
    private static final List<DType> NUMERIC = List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64);

    static double sum(double[] g) {
        double s = 0;
        for (double v : g) {
            s += v;
        }
        return s;
    }

    static double mean(double[] g) {
        return sum(g) / g.length;
    }

    static double var(double[] g, int correction) {
        double m = mean(g);
        double s = 0;
        for (double v : g) {
            s += (v - m) * (v - m);
        }
        return s / (g.length - correction);
    }

    static final List<Entry> TABLE = List.of(
            new Entry("sum", Tensor::sum, ReductionsTest::sum, -3, 3, NUMERIC, ReduceOp.SUM),
            new Entry("prod", Tensor::prod, g -> Arrays.stream(g).reduce(1, (a, b) -> a * b), 0.5, 1.5, FLOATS, ReduceOp.PROD),
            new Entry("prod(int)", Tensor::prod, g -> Arrays.stream(g).reduce(1, (a, b) -> a * b), -2, 2, List.of(DType.INT64),
                    ReduceOp.PROD),
            new Entry("amax", Tensor::amax, g -> Arrays.stream(g).max().orElseThrow(), -3, 3, NUMERIC, ReduceOp.MAX),
            new Entry("amin", Tensor::amin, g -> Arrays.stream(g).min().orElseThrow(), -3, 3, NUMERIC, ReduceOp.MIN),
            new Entry("mean", Tensor::mean, ReductionsTest::mean, -3, 3, FLOATS, null),
            new Entry("var", (x, a, k) -> x.var(a, 1, k), g -> var(g, 1), -3, 3, FLOATS, null),
            new Entry("var(correction 0)", (x, a, k) -> x.var(a, 0, k), g -> var(g, 0), -3, 3, FLOATS, null),
            new Entry("std", (x, a, k) -> x.std(a, 1, k), g -> Math.sqrt(var(g, 1)), -3, 3, FLOATS, null),
            new Entry("norm(1)", (x, a, k) -> x.norm(1, a, k), g -> Arrays.stream(g).map(Math::abs).sum(), -3, 3, FLOATS, null),
            new Entry("norm(2)", (x, a, k) -> x.norm(2, a, k), g -> Math.sqrt(Arrays.stream(g).map(v -> v * v).sum()), -3, 3,
                    FLOATS, null),
            new Entry("norm(inf)", (x, a, k) -> x.norm(Double.POSITIVE_INFINITY, a, k),
                    g -> Arrays.stream(g).map(Math::abs).max().orElseThrow(), -3, 3, FLOATS, null),
            new Entry("norm(3)", (x, a, k) -> x.norm(3, a, k),
                    g -> Math.cbrt(Arrays.stream(g).map(v -> Math.abs(v * v * v)).sum()), -3, 3, FLOATS, null),
            new Entry("logsumexp", Tensor::logsumexp, g -> Math.log(Arrays.stream(g).map(Math::exp).sum()), -3, 3, FLOATS,
                    null));

    static final Set<String> COVERS = Set.of("sum", "prod", "amax", "amin", "mean", "var", "std", "norm", "logsumexp",
            "max", "min", "argmax", "argmin", "cumsum", "softmax", "logSoftmax");

    @TestFactory
    List<DynamicTest> everyReductionMatchesItsReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Entry e : TABLE) {
            for (DType dtype : e.dtypes) {
                tests.add(DynamicTest.dynamicTest(e.method + " " + dtype, () -> check(e, dtype)));
            }
        }
        return tests;
    }

    private static int[] randomAxes(Rng rng, int rank) {
        List<Integer> axes = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (rng.nextInt(2) == 0) {
                axes.add(rng.nextInt(2) == 0 ? d : d - rank); // negative axes too
            }
        }
        if (axes.isEmpty() && rank > 0) {
            axes.add(rng.nextInt(rank));
        }
        return axes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void check(Entry e, DType dtype) {
        Rng rng = new Rng(e.method.hashCode() + 7L * dtype.ordinal());
        double rtol = dtype == DType.FLOAT32 ? 2e-5 : 1e-12;
        double atol = dtype == DType.FLOAT32 ? 2e-5 : 1e-12;
        for (int trial = 0; trial < 12; trial++) {
            int[] shape = Inputs.shape(rng, 4, 6);
            if (shape.length == 0) {
                shape = new int[] {5};
            }
            Ref in = dtype == DType.INT64
                    ? Inputs.map(Inputs.values(rng, DType.FLOAT64, shape, e.lo, e.hi + 1), Math::floor)
                    : Inputs.values(rng, dtype, shape, e.lo, e.hi);
            int[] axes = randomAxes(rng, shape.length);
            boolean keepDim = rng.nextInt(2) == 0;
            Ref expected = reduceReference(in, axes, keepDim, e.fold);
            for (Inputs.Layout layout : Inputs.layouts(in, dtype)) {
                Tensor out = e.call.apply(layout.tensor(), axes, keepDim);
                Ref.assertClose(e.method + " " + dtype + " " + layout.name() + " axes " + Arrays.toString(axes)
                        + " keepDim " + keepDim, expected, out, rtol, atol);
            }
        }
    }

    /** Groups the input by output position (reduced coordinates dropped) and folds each group. */
    static Ref reduceReference(Ref in, int[] axes, boolean keepDim, Fold fold) {
        int rank = in.rank();
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            reduced[a < 0 ? a + rank : a] = true;
        }
        int[] keptShape = in.shape().clone();
        for (int d = 0; d < rank; d++) {
            if (reduced[d]) {
                keptShape[d] = 1;
            }
        }
        int outN = Ref.numel(keptShape);
        List<List<Double>> groups = new ArrayList<>();
        for (int i = 0; i < outN; i++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < in.numel(); i++) {
            int[] c = Ref.coords(in.shape(), i);
            for (int d = 0; d < rank; d++) {
                if (reduced[d]) {
                    c[d] = 0;
                }
            }
            groups.get(Ref.flat(keptShape, c)).add(in.v()[i]);
        }
        double[] v = new double[outN];
        for (int i = 0; i < outN; i++) {
            v[i] = fold.apply(groups.get(i).stream().mapToDouble(Double::doubleValue).toArray());
        }
        int[] outShape = keepDim ? keptShape : dropReduced(in.shape(), reduced);
        return Ref.of(outShape, v);
    }

    private static int[] dropReduced(int[] shape, boolean[] reduced) {
        return java.util.stream.IntStream.range(0, shape.length).filter(d -> !reduced[d]).map(d -> shape[d]).toArray();
    }

    @Test
    void maxAndMinAlongAnAxisGiveValuesAndFirstIndices() {
        Rng rng = new Rng(5);
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64)) {
            for (int trial = 0; trial < 10; trial++) {
                int[] shape = Inputs.shape(rng, 3, 5);
                if (shape.length == 0) {
                    shape = new int[] {4};
                }
                // few distinct values: ties are frequent, and the first position must win
                Ref in = Inputs.map(Inputs.values(rng, DType.FLOAT64, shape, 0, 3), Math::floor);
                int axis = rng.nextInt(shape.length);
                boolean keepDim = rng.nextInt(2) == 0;
                for (Inputs.Layout layout : Inputs.layouts(in, dtype)) {
                    Tensor.ValuesAndIndices max = layout.tensor().max(axis, keepDim);
                    Tensor.ValuesAndIndices min = layout.tensor().min(axis, keepDim);
                    Ref.assertExact("max values", reduceReference(in, new int[] {axis}, keepDim,
                            g -> Arrays.stream(g).max().orElseThrow()), max.values());
                    Ref.assertExact("max indices", argReference(in, axis, keepDim, true), max.indices());
                    Ref.assertExact("argmax", argReference(in, axis, keepDim, true), layout.tensor().argmax(axis, keepDim));
                    Ref.assertExact("min indices", argReference(in, axis, keepDim, false), min.indices());
                    Ref.assertExact("argmin", argReference(in, axis, keepDim, false), layout.tensor().argmin(axis, keepDim));
                    assertEquals(DType.INT64, max.indices().dtype());
                }
            }
        }
    }

    private static Ref argReference(Ref in, int axis, boolean keepDim, boolean max) {
        int size = in.shape()[axis];
        return reduceReference(in, new int[] {axis}, keepDim, g -> {
            // groups list the axis positions in order, because only one axis is reduced
            int best = 0;
            for (int i = 1; i < size; i++) {
                if (max ? g[i] > g[best] : g[i] < g[best]) {
                    best = i;
                }
            }
            return best;
        });
    }

    @Test
    void reductionsOverAllElements() {
        Tensor x = Tensor.of(new double[] {3, -1, 4, 1, -5, 9}, 2, 3);
        assertEquals(11, x.sum().item());
        assertEquals(0, x.sum().dim());
        assertEquals(11.0 / 6, x.mean().item(), 1e-15);
        assertEquals(9, x.max().item());
        assertEquals(-5, x.min().item());
        assertEquals(5, x.argmax().item());
        assertEquals(4, x.argmin().item());
        assertEquals(3 * -1 * 4 * 1 * -5 * 9, x.prod().item());
        assertEquals(var(new double[] {3, -1, 4, 1, -5, 9}, 1), x.var().item(), 1e-13);
        assertEquals(Math.sqrt(var(new double[] {3, -1, 4, 1, -5, 9}, 1)), x.std().item(), 1e-13);
        assertEquals(Math.sqrt(9 + 1 + 16 + 1 + 25 + 81), x.norm(2).item(), 1e-13);
    }

    @Test
    void sumsOfBoolAndInt64AreInt64() {
        Tensor mask = Tensor.of(true, false, true, true);
        assertEquals(DType.INT64, mask.sum().dtype());
        assertEquals(3, mask.sum().item());
        assertEquals(DType.INT64, Tensor.arange(5).sum().dtype());
        assertArrayEquals(new long[] {1, 1, 2, 3}, mask.cumsum(0).toLongArray());
    }

    @Test
    void nanPropagatesThroughMaxAndArgmax() {
        Tensor x = Tensor.of(1.0, Double.NaN, 3.0, Double.NaN);
        assertEquals(Double.NaN, x.max().item());
        assertEquals(1, x.argmax().item());
        assertEquals(1, x.argmin().item());
    }

    @Test
    void cumsumAlongEveryAxis() {
        Rng rng = new Rng(9);
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64)) {
            for (int trial = 0; trial < 10; trial++) {
                int[] shape = Inputs.shape(rng, 4, 5);
                if (shape.length == 0) {
                    shape = new int[] {3};
                }
                Ref in = Inputs.map(Inputs.values(rng, DType.FLOAT64, shape, -4, 4), dtype == DType.INT64 ? Math::floor : v -> Inputs.round(dtype, v));
                int axis = rng.nextInt(shape.length);
                double[] v = new double[in.numel()];
                for (int i = 0; i < v.length; i++) {
                    int[] c = Ref.coords(shape, i);
                    double s = 0;
                    for (int k = 0; k <= c[axis]; k++) {
                        int[] ck = c.clone();
                        ck[axis] = k;
                        s += in.v()[Ref.flat(shape, ck)];
                    }
                    v[i] = s;
                }
                for (Inputs.Layout layout : Inputs.layouts(in, dtype)) {
                    Ref.assertClose("cumsum " + dtype + " " + layout.name(), Ref.of(shape, v), layout.tensor().cumsum(axis),
                            1e-6, 1e-5);
                }
            }
        }
    }

    @Test
    void softmaxAndLogSoftmaxAlongEveryAxis() {
        Rng rng = new Rng(13);
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (int trial = 0; trial < 10; trial++) {
                int[] shape = Inputs.shape(rng, 4, 5);
                if (shape.length == 0) {
                    shape = new int[] {3};
                }
                Ref in = Inputs.values(rng, dtype, shape, -5, 5);
                int axis = rng.nextInt(shape.length);
                Ref lse = reduceReference(in, new int[] {axis}, true, g -> Math.log(Arrays.stream(g).map(Math::exp).sum()));
                double[] soft = new double[in.numel()];
                double[] logSoft = new double[in.numel()];
                for (int i = 0; i < soft.length; i++) {
                    int[] c = Ref.coords(shape, i);
                    c[axis] = 0;
                    double l = lse.v()[Ref.flat(lse.shape(), c)];
                    logSoft[i] = in.v()[i] - l;
                    soft[i] = Math.exp(logSoft[i]);
                }
                double tol = dtype == DType.FLOAT32 ? 1e-5 : 1e-13;
                for (Inputs.Layout layout : Inputs.layouts(in, dtype)) {
                    Ref.assertClose("softmax", Ref.of(shape, soft), layout.tensor().softmax(axis), tol, tol);
                    Ref.assertClose("logSoftmax", Ref.of(shape, logSoft), layout.tensor().logSoftmax(axis), tol, tol);
                }
            }
        }
    }

    @Test
    void everyReduceKernelIsCovered() {
        Set<ReduceOp> covered = EnumSet.noneOf(ReduceOp.class);
        for (Entry e : TABLE) {
            if (e.kernel != null) {
                covered.add(e.kernel);
            }
        }
        covered.add(ReduceOp.ARGMAX); // maxAndMinAlongAnAxisGiveValuesAndFirstIndices
        covered.add(ReduceOp.ARGMIN);
        assertEquals(EnumSet.allOf(ReduceOp.class), covered);
    }

}
