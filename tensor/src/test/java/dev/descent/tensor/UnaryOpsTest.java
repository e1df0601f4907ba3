package dev.descent.tensor;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every elementwise one-input operation against a closed-form reference in double, for FLOAT32 and
 * FLOAT64 (and INT64 where defined), on random shapes in every layout.
 */
class UnaryOpsTest {
    private static final double SQRT_HALF = Math.sqrt(0.5);

    /** One operation: how to call it, its reference, the input range, whether INT64 is accepted, and its kernel. */
    record Entry(String method, UnaryOperator<Tensor> op, DoubleUnaryOperator ref, double lo, double hi,
                 boolean integers, UnaryOp kernel) {
    }

    static final List<Entry> TABLE = List.of(
            new Entry("neg", Tensor::neg, x -> -x, -5, 5, true, UnaryOp.NEG),
            new Entry("abs", Tensor::abs, Math::abs, -5, 5, true, UnaryOp.ABS),
            new Entry("sign", Tensor::sign, Math::signum, -5, 5, true, UnaryOp.SIGN),
            new Entry("square", Tensor::square, x -> x * x, -5, 5, true, UnaryOp.SQUARE),
            new Entry("relu", Tensor::relu, x -> x > 0 ? x : 0, -5, 5, true, UnaryOp.RELU),
            new Entry("clamp", t -> t.clamp(-2, 3), x -> Math.min(Math.max(x, -2), 3), -5, 5, true, UnaryOp.CLAMP),
            new Entry("clamp(fractional)", t -> t.clamp(-1.5, 2.5), x -> Math.min(Math.max(x, -1.5), 2.5), -5, 5, false,
                    UnaryOp.CLAMP),
            new Entry("clamp(one-sided)", t -> t.clamp(Double.NEGATIVE_INFINITY, 1), x -> Math.min(x, 1), -5, 5, true,
                    UnaryOp.CLAMP),
            new Entry("exp", Tensor::exp, Math::exp, -10, 10, false, UnaryOp.EXP),
            new Entry("log", Tensor::log, Math::log, 1e-3, 100, false, UnaryOp.LOG),
            new Entry("log1p", Tensor::log1p, x -> Math.log(1 + x) , 0.5, 50, false, UnaryOp.LOG1P),
            new Entry("expm1", Tensor::expm1, x -> Math.exp(x) - 1, 0.5, 5, false, UnaryOp.EXPM1),
            new Entry("sqrt", Tensor::sqrt, Math::sqrt, 0, 100, false, UnaryOp.SQRT),
            new Entry("rsqrt", Tensor::rsqrt, x -> 1 / Math.sqrt(x), 0.01, 100, false, UnaryOp.RSQRT),
            new Entry("reciprocal", Tensor::reciprocal, x -> 1 / x, 0.1, 10, false, UnaryOp.RECIPROCAL),
            new Entry("sin", Tensor::sin, Math::sin, -7, 7, false, UnaryOp.SIN),
            new Entry("cos", Tensor::cos, Math::cos, -7, 7, false, UnaryOp.COS),
            new Entry("tanh", Tensor::tanh, x -> (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1), -5, 5, false, UnaryOp.TANH),
            new Entry("sigmoid", Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x)), -30, 30, false, UnaryOp.SIGMOID),
            new Entry("gelu", Tensor::gelu, x -> 0.5 * x * erfcReference(-x * SQRT_HALF), -8, 6, false, UnaryOp.GELU_ERF),
            new Entry("geluTanh", Tensor::geluTanh,
                    x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))), -6, 6, false,
                    UnaryOp.GELU_TANH),
            new Entry("silu", Tensor::silu, x -> x / (1 + Math.exp(-x)), -30, 30, false, UnaryOp.SILU),
            new Entry("softplus", Tensor::softplus, x -> x > 20 ? x : Math.log(1 + Math.exp(x)), -15, 30, false,
                    UnaryOp.SOFTPLUS),
            new Entry("softplus(beta, threshold)", t -> t.softplus(2, 5),
                    x -> 2 * x > 5 ? x : Math.log(1 + Math.exp(2 * x)) / 2, -5, 5, false, UnaryOp.SOFTPLUS),
            new Entry("erf", Tensor::erf, UnaryOpsTest::erfSeries, -7, 7, false, UnaryOp.ERF),
            new Entry("pow", t -> t.pow(2.5), x -> Math.exp(2.5 * Math.log(x)), 0.1, 5, false, null),
            new Entry("pow(2)", t -> t.pow(2), x -> x * x, -5, 5, false, null),
            new Entry("pow(-1.5)", t -> t.pow(-1.5), x -> 1 / (x * Math.sqrt(x)), 0.1, 5, false, null));

    /** Method names this table covers, for the coverage check. */
    static final Set<String> COVERS = Set.of("neg", "abs", "sign", "square", "relu", "clamp", "exp", "log", "log1p",
            "expm1", "sqrt", "rsqrt", "reciprocal", "sin", "cos", "tanh", "sigmoid", "gelu", "geluTanh", "silu",
            "softplus", "erf", "pow");

    /**
     * erf(x) = 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1 3 5 ... (2n+1)): every term positive, so no
     * cancellation; independent of the rational approximations the engine uses.
     */
    static double erfSeries(double x) {
        double ax = Math.abs(x);
        if (ax > 6) {
            return Math.signum(x);
        }
        double term = ax;
        double sum = ax;
        for (int n = 1; n < 400 && term > sum * 1e-18; n++) {
            term *= 2 * ax * ax / (2 * n + 1);
            sum += term;
        }
        return Math.signum(x) * 2 / Math.sqrt(Math.PI) * Math.exp(-ax * ax) * sum;
    }

    /** erfc by its continued fraction where it is small (evaluated backwards), else 1 - erf. */
    static double erfcReference(double x) {
        if (x < 2) {
            return 1 - erfSeries(x);
        }
        double t = 0;
        for (int n = 300; n >= 1; n--) {
            t = (n / 2.0) / (x + t);
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / (x + t);
    }

    @TestFactory
    List<DynamicTest> everyOpMatchesItsReferenceInEveryLayout() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Entry e : TABLE) {
            List<DType> dtypes = new ArrayList<>(List.of(Inputs.FLOATS));
            if (e.integers) {
                dtypes.add(DType.INT64);
            }
            for (DType dtype : dtypes) {
                tests.add(DynamicTest.dynamicTest(e.method + " " + dtype, () -> check(e, dtype)));
            }
        }
        return tests;
    }

    private static void check(Entry e, DType dtype) {
        Rng rng = new Rng(e.method.hashCode() * 31L + dtype.ordinal());
        double rtol = dtype == DType.FLOAT32 ? 2e-6 : 1e-13;
        double atol = dtype == DType.FLOAT32 ? 1e-6 : 1e-15;
        for (int trial = 0; trial < 12; trial++) {
            int[] shape = Inputs.shape(rng, 4, 6);
            Ref in = trial % 3 == 2
                    ? Inputs.valuesConstantAlongAxis(rng, dtype, shape, e.lo, e.hi)
                    : Inputs.values(rng, dtype, shape, e.lo, e.hi);
            Ref expected = Inputs.map(in, e.ref);
            for (Inputs.Layout layout : Inputs.layouts(in, dtype)) {
                Tensor out = e.op.apply(layout.tensor());
                assertEquals(dtype, out.dtype(), e.method + ": dtype");
                Ref.assertClose(e.method + " " + dtype + " " + layout.name(), expected, out, rtol, atol);
            }
        }
    }

    @Test
    void largeInputsSplitAcrossThreadsGiveTheSameValues() {
        Rng rng = new Rng(3);
        Ref in = Inputs.values(rng, DType.FLOAT32, new int[] {300, 1001}, -3, 3);
        Tensor x = Inputs.tensor(in, DType.FLOAT32);
        Ref.assertClose("exp large", Inputs.map(in, Math::exp), x.exp(), 2e-6, 0);
        Ref.assertClose("tanh large transposed", Inputs.map(Ref.of(new int[] {1001, 300}, transpose(in)), Math::tanh),
                x.t().tanh(), 2e-6, 1e-7);
    }

    private static double[] transpose(Ref r) {
        int rows = r.shape()[0];
        int cols = r.shape()[1];
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = r.v()[i * cols + j];
            }
        }
        return t;
    }

    @Test
    void specialValuesFollowPyTorch() {
        Tensor x = Tensor.of(Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -0.0, 0.0);
        assertEquals(List.of(Double.NaN, 0.0, 1.0, 0.5, 0.5), boxed(x.sigmoid()));
        assertEquals(List.of(Double.NaN, 0.0, Double.POSITIVE_INFINITY, 0.0, 0.0), boxed(x.relu()));
        assertEquals(List.of(Double.NaN, -1.0, 1.0, -0.0, 0.0), boxed(x.erf()));
        assertEquals(List.of(Double.NaN, -1.0, 1.0, -0.0, 0.0), boxed(x.clamp(-1, 1)));
        assertEquals(List.of(Double.NaN, -1.0, 1.0, -0.0, 0.0), boxed(x.sign()));
    }

    private static List<Double> boxed(Tensor t) {
        List<Double> out = new ArrayList<>();
        for (double v : t.toDoubleArray()) {
            out.add(v);
        }
        return out;
    }

    @Test
    void everyUnaryKernelIsInTheTable() {
        Set<UnaryOp> covered = EnumSet.noneOf(UnaryOp.class);
        for (Entry e : TABLE) {
            if (e.kernel != null) {
                covered.add(e.kernel);
            }
        }
        assertEquals(EnumSet.allOf(UnaryOp.class), covered, "a UnaryOp without a reference in TABLE");
    }
}
