package dev.descent.tensor;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every elementwise two-input operation against a reference in double, with broadcasting of random
 * shape pairs and every layout of each operand.
 */
class BinaryOpsTest {

    /** One operation: call, reference, operand ranges, dtypes it is checked in, result dtype rule, kernel. */
    record Entry(String method, BinaryOperator<Tensor> op, DoubleBinaryOperator ref, double lo, double hi,
                 double loB, double hiB, List<DType> dtypes, boolean boolResult, BinaryOp kernel) {
    }

    private static final List<DType> FLOATS = List.of(DType.FLOAT32, DType.FLOAT64);
    private static final List<DType> NUMERIC = List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64);
    private static final List<DType> ALL = List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL);
    private static final List<DType> BOOL = List.of(DType.BOOL);

    private static double lerp(double a, double b, double w) {
        return a + w * (b - a);
    }

    private static double bool(boolean b) {
        return b ? 1 : 0;
    }

    static final List<Entry> TABLE = List.of(
            new Entry("add", Tensor::add, Double::sum, -5, 5, -5, 5, NUMERIC, false, BinaryOp.ADD),
            new Entry("add(alpha)", (a, b) -> a.add(b, -2), (a, b) -> a - 2 * b, -5, 5, -5, 5, NUMERIC, false, BinaryOp.ADD),
            new Entry("sub", Tensor::sub, (a, b) -> a - b, -5, 5, -5, 5, NUMERIC, false, BinaryOp.SUB),
            new Entry("mul", Tensor::mul, (a, b) -> a * b, -5, 5, -5, 5, NUMERIC, false, BinaryOp.MUL),
            new Entry("div", Tensor::div, (a, b) -> a / b, -5, 5, 0.5, 4, FLOATS, false, BinaryOp.DIV),
            new Entry("pow", Tensor::pow, (a, b) -> Math.exp(b * Math.log(a)), 0.1, 4, -2, 3, FLOATS, false, BinaryOp.POW),
            new Entry("maximum", Tensor::maximum, Math::max, -5, 5, -5, 5, NUMERIC, false, BinaryOp.MAXIMUM),
            new Entry("minimum", Tensor::minimum, Math::min, -5, 5, -5, 5, NUMERIC, false, BinaryOp.MINIMUM),
            new Entry("lerp", (a, b) -> a.lerp(b, 0.3), (a, b) -> lerp(a, b, 0.3), -5, 5, -5, 5, FLOATS, false, BinaryOp.LERP),
            new Entry("lerp(0.8)", (a, b) -> a.lerp(b, 0.8), (a, b) -> lerp(a, b, 0.8), -5, 5, -5, 5, FLOATS, false,
                    BinaryOp.LERP),
            // comparisons draw from a few whole numbers so that ties occur
            new Entry("eq", Tensor::eq, (a, b) -> bool(a == b), -2, 3, -2, 3, ALL, true, BinaryOp.EQ),
            new Entry("ne", Tensor::ne, (a, b) -> bool(a != b), -2, 3, -2, 3, ALL, true, BinaryOp.NE),
            new Entry("lt", Tensor::lt, (a, b) -> bool(a < b), -2, 3, -2, 3, ALL, true, BinaryOp.LT),
            new Entry("le", Tensor::le, (a, b) -> bool(a <= b), -2, 3, -2, 3, ALL, true, BinaryOp.LE),
            new Entry("gt", Tensor::gt, (a, b) -> bool(a > b), -2, 3, -2, 3, ALL, true, BinaryOp.GT),
            new Entry("ge", Tensor::ge, (a, b) -> bool(a >= b), -2, 3, -2, 3, ALL, true, BinaryOp.GE),
            new Entry("logicalAnd", Tensor::logicalAnd, (a, b) -> bool(a != 0 && b != 0), 0, 1, 0, 1, BOOL, true, BinaryOp.AND),
            new Entry("logicalOr", Tensor::logicalOr, (a, b) -> bool(a != 0 || b != 0), 0, 1, 0, 1, BOOL, true, BinaryOp.OR),
            new Entry("logicalXor", Tensor::logicalXor, (a, b) -> bool((a != 0) != (b != 0)), 0, 1, 0, 1, BOOL, true,
                    BinaryOp.XOR),
            // scalar forms: the scalar is the second operand's first value, passed as a double
            new Entry("add(scalar)", (a, b) -> a.add(b.item()), Double::sum, -5, 5, -5, 5, NUMERIC, false, null),
            new Entry("sub(scalar)", (a, b) -> a.sub(b.item()), (a, b) -> a - b, -5, 5, -5, 5, NUMERIC, false, null),
            new Entry("rsub", (a, b) -> a.rsub(b.item()), (a, b) -> b - a, -5, 5, -5, 5, NUMERIC, false, null),
            new Entry("mul(scalar)", (a, b) -> a.mul(b.item()), (a, b) -> a * b, -5, 5, -5, 5, NUMERIC, false, null),
            new Entry("div(scalar)", (a, b) -> a.div(b.item()), (a, b) -> a / b, -5, 5, 0.5, 4, FLOATS, false, null),
            new Entry("rdiv", (a, b) -> a.rdiv(b.item()), (a, b) -> b / a, 0.5, 4, -5, 5, FLOATS, false, null),
            new Entry("rpow", (a, b) -> a.rpow(b.item()), (a, b) -> Math.exp(a * Math.log(b)), -2, 3, 0.1, 4, FLOATS, false,
                    null),
            new Entry("eq(scalar)", (a, b) -> a.eq(b.item()), (a, b) -> bool(a == b), -2, 3, -2, 3, NUMERIC, true, null),
            new Entry("ne(scalar)", (a, b) -> a.ne(b.item()), (a, b) -> bool(a != b), -2, 3, -2, 3, NUMERIC, true, null),
            new Entry("lt(scalar)", (a, b) -> a.lt(b.item()), (a, b) -> bool(a < b), -2, 3, -2, 3, NUMERIC, true, null),
            new Entry("le(scalar)", (a, b) -> a.le(b.item()), (a, b) -> bool(a <= b), -2, 3, -2, 3, NUMERIC, true, null),
            new Entry("gt(scalar)", (a, b) -> a.gt(b.item()), (a, b) -> bool(a > b), -2, 3, -2, 3, NUMERIC, true, null),
            new Entry("ge(scalar)", (a, b) -> a.ge(b.item()), (a, b) -> bool(a >= b), -2, 3, -2, 3, NUMERIC, true, null),
            new Entry("logicalNot", (a, b) -> a.logicalNot(), (a, b) -> bool(a == 0), 0, 1, 0, 1, BOOL, true, null));

    static final Set<String> COVERS = Set.of("add", "sub", "mul", "div", "pow", "maximum", "minimum", "lerp", "eq", "ne",
            "lt", "le", "gt", "ge", "logicalAnd", "logicalOr", "logicalXor", "rsub", "rdiv", "rpow", "logicalNot");

    @TestFactory
    List<DynamicTest> everyOpMatchesItsReferenceWithBroadcasting() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Entry e : TABLE) {
            for (DType dtype : e.dtypes) {
                tests.add(DynamicTest.dynamicTest(e.method + " " + dtype, () -> check(e, dtype)));
            }
        }
        return tests;
    }

    private static boolean isScalarForm(Entry e) {
        return e.kernel == null;
    }

    private static Ref values(Rng rng, DType dtype, int[] shape, double lo, double hi, boolean ties) {
        if (ties || dtype == DType.BOOL || dtype == DType.INT64) {
            Ref r = Inputs.values(rng, DType.FLOAT64, shape, lo, hi + 1);
            return Inputs.map(r, x -> dtype == DType.BOOL ? (Math.floor(x) >= 0.5 * (lo + hi) ? 1 : 0) : Math.floor(x));
        }
        return Inputs.values(rng, dtype, shape, lo, hi);
    }

    private static void check(Entry e, DType dtype) {
        Rng rng = new Rng(e.method.hashCode() * 17L + dtype.ordinal());
        double rtol = dtype == DType.FLOAT32 ? 1e-5 : 1e-13;
        double atol = dtype == DType.FLOAT32 ? 1e-5 : 1e-13;
        for (int trial = 0; trial < 10; trial++) {
            int[][] shapes = Inputs.broadcastPair(rng);
            if (isScalarForm(e)) {
                shapes[1] = new int[0];
            }
            Ref a = values(rng, dtype, shapes[0], e.lo, e.hi, e.boolResult);
            Ref b = values(rng, dtype, shapes[1], e.loB, e.hiB, e.boolResult);
            Ref expected = reference(e, a, b);
            List<Inputs.Layout> as = Inputs.layouts(a, dtype);
            List<Inputs.Layout> bs = Inputs.layouts(b, dtype);
            for (Inputs.Layout la : as) {
                run(e, dtype, la, bs.get(0), expected, rtol, atol);
            }
            for (Inputs.Layout lb : bs) {
                run(e, dtype, as.get(0), lb, expected, rtol, atol);
            }
        }
    }

    private static void run(Entry e, DType dtype, Inputs.Layout la, Inputs.Layout lb, Ref expected, double rtol, double atol) {
        Tensor out = e.op.apply(la.tensor(), lb.tensor());
        assertEquals(e.boolResult ? DType.BOOL : dtype, out.dtype(), e.method + ": dtype");
        Ref.assertClose(e.method + " " + dtype + " " + la.name() + "/" + lb.name(), expected, out, rtol, atol);
    }

    private static Ref reference(Entry e, Ref a, Ref b) {
        int[] shape = Ref.broadcast(a.shape(), b.shape());
        double[] v = new double[Ref.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            int[] c = Ref.coords(shape, i);
            v[i] = e.ref.applyAsDouble(a.atBroadcast(c), b.atBroadcast(c));
        }
        return Ref.of(shape, v);
    }

    @Test
    void whereAndMaskedFillSelectWithBroadcasting() {
        Rng rng = new Rng(11);
        for (DType dtype : List.of(DType.FLOAT32, DType.FLOAT64, DType.INT64)) {
            for (int trial = 0; trial < 10; trial++) {
                int[][] ab = Inputs.broadcastPair(rng);
                int[] out = Ref.broadcast(ab[0], ab[1]);
                int[] condShape = Inputs.squash(rng, out);
                Ref cond = Inputs.map(Inputs.values(rng, DType.FLOAT64, condShape, 0, 1), x -> x < 0.5 ? 1 : 0);
                Ref a = values(rng, dtype, ab[0], -5, 5, false);
                Ref b = values(rng, dtype, ab[1], -5, 5, false);
                int[] shape = Ref.broadcast(condShape, out);
                double[] v = new double[Ref.numel(shape)];
                double[] filled = new double[v.length];
                for (int i = 0; i < v.length; i++) {
                    int[] c = Ref.coords(shape, i);
                    boolean pick = cond.atBroadcast(c) != 0;
                    v[i] = pick ? a.atBroadcast(c) : b.atBroadcast(c);
                    filled[i] = pick ? -7 : a.atBroadcast(c);
                }
                for (Inputs.Layout lc : Inputs.layouts(cond, DType.BOOL)) {
                    Tensor c = lc.tensor();
                    Ref.assertExact("where " + lc.name(), Ref.of(shape, v),
                            Tensor.where(c, Inputs.tensor(a, dtype), Inputs.tensor(b, dtype)));
                    if (Ref.numel(Ref.broadcast(condShape, ab[0])) == Ref.numel(ab[0])
                            && Ref.broadcast(condShape, ab[0]).length == ab[0].length) {
                        Ref expectFilled = reference(new Entry("mf", null, (x, y) -> y != 0 ? -7 : x, 0, 0, 0, 0, null, false,
                                null), a, cond);
                        Ref.assertExact("maskedFill " + lc.name(), expectFilled, Inputs.tensor(a, dtype).maskedFill(c, -7));
                    }
                }
            }
        }
    }

    @Test
    void everyBinaryKernelIsInTheTable() {
        Set<BinaryOp> covered = EnumSet.noneOf(BinaryOp.class);
        for (Entry e : TABLE) {
            if (e.kernel != null) {
                covered.add(e.kernel);
            }
        }
        assertEquals(EnumSet.allOf(BinaryOp.class), covered, "a BinaryOp without a reference in TABLE");
    }
}
