package dev.descent.autograd;

import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * First and second derivatives of the reductions, softmax and log-softmax against central differences
 * (float64), over single, several, negative and all axes, with and without keepDim, on contiguous,
 * permuted and sliced inputs; then the conventions central differences cannot see: ties, the index of
 * max along an axis, zeros in prod, the 2-norm at zero, and large inputs.
 */
class ReductionsGradTest {
    static final Set<String> COVERS = Set.of("sum", "mean", "prod", "max", "amax", "min", "amin", "var", "std",
            "norm", "logsumexp", "cumsum", "softmax", "logSoftmax", "causalSoftmax");

    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double EXACT = 1e-12;

    /** How a row's input is drawn: away from ties and kinks where the operation has them. */
    private enum Values {
        NORMAL,
        /** Signed values in [-1.5, -0.5] or [0.5, 1.5]: products stay of order 1, no element near 0. */
        AWAY_FROM_ZERO,
        /** All elements distinct by at least 0.05 (max, min). */
        DISTINCT,
        /** All magnitudes distinct by at least 0.05, signs random, none near 0 (the infinity norm). */
        DISTINCT_MAGNITUDES
    }

    private record Reduce(String name, Function<Variable, Variable> f, Values values, int... shape) {
    }

    static Stream<GradCase> cases() {
        GradInputs in = new GradInputs(31);
        Rng rng = new Rng(32);
        List<Reduce> rows = List.of(
                new Reduce("sum()", Variable::sum, Values.NORMAL, 2, 3),
                new Reduce("sum(1)", x -> x.sum(1), Values.NORMAL, 2, 3, 4),
                new Reduce("sum([0, -1], keepDim)", x -> x.sum(new int[] {0, -1}, true), Values.NORMAL, 2, 3, 4),
                new Reduce("sum(null, keepDim)", x -> x.sum(null, true), Values.NORMAL, 2, 1, 3),
                new Reduce("sum over a size-1 axis", x -> x.sum(new int[] {1}, false), Values.NORMAL, 2, 1, 3),
                new Reduce("mean()", Variable::mean, Values.NORMAL, 2, 3),
                new Reduce("mean(-1)", x -> x.mean(-1), Values.NORMAL, 2, 3, 4),
                new Reduce("mean([0, 2], keepDim)", x -> x.mean(new int[] {0, 2}, true), Values.NORMAL, 2, 3, 2),
                new Reduce("mean(null, keepDim)", x -> x.mean(null, true), Values.NORMAL, 3, 2),
                new Reduce("prod()", Variable::prod, Values.AWAY_FROM_ZERO, 2, 3),
                new Reduce("prod([1])", x -> x.prod(new int[] {1}, false), Values.AWAY_FROM_ZERO, 2, 3, 4),
                new Reduce("prod([0, -1], keepDim)", x -> x.prod(new int[] {0, -1}, true), Values.AWAY_FROM_ZERO,
                        3, 2, 2),
                new Reduce("prod(null, keepDim)", x -> x.prod(null, true), Values.AWAY_FROM_ZERO, 2, 1, 3),
                new Reduce("max()", Variable::max, Values.DISTINCT, 2, 3),
                new Reduce("amax([1])", x -> x.amax(new int[] {1}, false), Values.DISTINCT, 2, 3, 4),
                new Reduce("amax([0, 2], keepDim)", x -> x.amax(new int[] {0, 2}, true), Values.DISTINCT, 2, 3, 2),
                new Reduce("amax(null, keepDim)", x -> x.amax(null, true), Values.DISTINCT, 3, 2),
                new Reduce("amax over a size-1 axis", x -> x.amax(new int[] {-1}, false), Values.DISTINCT, 3, 2, 1),
                new Reduce("min()", Variable::min, Values.DISTINCT, 3, 2),
                new Reduce("amin([0])", x -> x.amin(new int[] {0}, false), Values.DISTINCT, 3, 4),
                new Reduce("amin([-2, -1], keepDim)", x -> x.amin(new int[] {-2, -1}, true), Values.DISTINCT,
                        2, 3, 2),
                new Reduce("amin(null)", x -> x.amin(null, false), Values.DISTINCT, 2, 3),
                new Reduce("max(1).values", x -> x.max(1, false).values(), Values.DISTINCT, 2, 3, 4),
                new Reduce("max(-1, keepDim).values", x -> x.max(-1, true).values(), Values.DISTINCT, 3, 4),
                new Reduce("max(0) over a size-1 axis", x -> x.max(0, false).values(), Values.DISTINCT, 1, 4),
                new Reduce("min(0, keepDim).values", x -> x.min(0, true).values(), Values.DISTINCT, 3, 4),
                new Reduce("min(-1).values", x -> x.min(-1, false).values(), Values.DISTINCT, 2, 2, 3),
                new Reduce("var()", Variable::var, Values.NORMAL, 2, 3),
                new Reduce("var([1], 1)", x -> x.var(new int[] {1}, 1, false), Values.NORMAL, 2, 3, 4),
                new Reduce("var([0, 2], 0, keepDim)", x -> x.var(new int[] {0, 2}, 0, true), Values.NORMAL, 2, 3, 2),
                new Reduce("var(null, 2, keepDim)", x -> x.var(null, 2, true), Values.NORMAL, 3, 2),
                new Reduce("var([-1], 1)", x -> x.var(new int[] {-1}, 1, false), Values.NORMAL, 4, 3),
                new Reduce("std()", Variable::std, Values.NORMAL, 2, 3),
                new Reduce("std([1], 1)", x -> x.std(new int[] {1}, 1, false), Values.NORMAL, 2, 3, 4),
                new Reduce("std([0, 2], 0, keepDim)", x -> x.std(new int[] {0, 2}, 0, true), Values.NORMAL, 2, 3, 2),
                new Reduce("std(null, 2)", x -> x.std(null, 2, false), Values.NORMAL, 3, 2),
                new Reduce("norm(1)", x -> x.norm(1), Values.AWAY_FROM_ZERO, 2, 3),
                new Reduce("norm(1, [1], keepDim)", x -> x.norm(1, new int[] {1}, true), Values.AWAY_FROM_ZERO,
                        2, 3, 2),
                new Reduce("norm(2)", x -> x.norm(2), Values.NORMAL, 2, 3),
                new Reduce("norm(2, [0, -1])", x -> x.norm(2, new int[] {0, -1}, false), Values.NORMAL, 2, 3, 2),
                new Reduce("norm(2, null, keepDim)", x -> x.norm(2, null, true), Values.NORMAL, 3, 1),
                new Reduce("norm(inf)", x -> x.norm(INF), Values.DISTINCT_MAGNITUDES, 2, 3),
                new Reduce("norm(inf, [1])", x -> x.norm(INF, new int[] {1}, false), Values.DISTINCT_MAGNITUDES,
                        2, 3, 2),
                new Reduce("norm(3, [1], keepDim)", x -> x.norm(3, new int[] {1}, true), Values.AWAY_FROM_ZERO, 2, 3),
                new Reduce("norm(1.5)", x -> x.norm(1.5), Values.AWAY_FROM_ZERO, 3, 2),
                new Reduce("logsumexp([1])", x -> x.logsumexp(new int[] {1}, false), Values.NORMAL, 2, 3, 2),
                new Reduce("logsumexp([0, 2], keepDim)", x -> x.logsumexp(new int[] {0, 2}, true), Values.NORMAL,
                        2, 3, 2),
                new Reduce("logsumexp(null)", x -> x.logsumexp(null, false), Values.NORMAL, 3, 2),
                new Reduce("logsumexp([-1], keepDim)", x -> x.logsumexp(new int[] {-1}, true), Values.NORMAL, 3, 4),
                new Reduce("cumsum(0)", x -> x.cumsum(0), Values.NORMAL, 3, 4),
                new Reduce("cumsum(-1)", x -> x.cumsum(-1), Values.NORMAL, 2, 3, 4),
                new Reduce("cumsum(1)", x -> x.cumsum(1), Values.NORMAL, 2, 3, 2),
                new Reduce("softmax(-1)", x -> x.softmax(-1), Values.NORMAL, 3, 4),
                new Reduce("softmax(0)", x -> x.softmax(0), Values.NORMAL, 3, 4),
                new Reduce("softmax(1)", x -> x.softmax(1), Values.NORMAL, 2, 3, 2),
                new Reduce("logSoftmax(-1)", x -> x.logSoftmax(-1), Values.NORMAL, 3, 4),
                new Reduce("logSoftmax(0)", x -> x.logSoftmax(0), Values.NORMAL, 3, 4),
                new Reduce("logSoftmax(1)", x -> x.logSoftmax(1), Values.NORMAL, 2, 3, 2),
                new Reduce("causalSoftmax(0.7)", x -> x.causalSoftmax(0.7), Values.NORMAL, 4, 4),
                new Reduce("causalSoftmax(1.3) Lq < Lk", x -> x.causalSoftmax(1.3), Values.NORMAL, 2, 3, 5),
                new Reduce("causalSoftmax(-0.6) Lq > Lk", x -> x.causalSoftmax(-0.6), Values.NORMAL, 2, 4, 3));
        List<GradCase> cases = new ArrayList<>();
        for (Reduce r : rows) {
            Tensor x = draw(r.values, in, rng, r.shape);
            // a nonlinearity after the reduction, so that the gradient reaching the rule depends on x too
            Function<List<Variable>, Variable> f = v -> r.f.apply(v.get(0)).sin();
            cases.add(GradCase.of(r.name + " contiguous", f, x));
            cases.add(GradCase.of(r.name + " permuted", f, in.permuted(x)));
            cases.add(GradCase.of(r.name + " sliced", f, in.sliced(x)));
        }
        // prod where slices hold zeros: the Hessian is a polynomial, so central differences are exact enough
        Tensor oneZero = Tensor.of(new double[] {0.7, 0, 1.3, 1.1, -0.8, 0.9}, 2, 3);
        Tensor twoZeros = Tensor.of(new double[] {0, 0.6, 0, 1.2, 0.9, -1.1, 0.8, 1.4}, 2, 4);
        List<GradCase> zeros = List.of(
                GradCase.of("prod([1]) with a zero in one row", v -> v.get(0).prod(new int[] {1}, false).sin(),
                        oneZero),
                GradCase.of("prod() with a zero", v -> v.get(0).prod().sin(), oneZero),
                GradCase.of("prod([0], keepDim) with a zero", v -> v.get(0).prod(new int[] {0}, true).sin(), oneZero),
                GradCase.of("prod([1]) with two zeros in one row", v -> v.get(0).prod(new int[] {1}, false).sin(),
                        twoZeros),
                GradCase.of("prod([-1]) with a zero, permuted", v -> v.get(0).prod(new int[] {-1}, false).sin(),
                        in.permuted(twoZeros.reshape(4, 2))));
        cases.addAll(zeros);
        // rank 0: axis 0 (or -1) names the scalar itself
        Tensor scalar = Tensor.scalar(DType.FLOAT64, 0.8);
        cases.add(GradCase.of("sum([0]) of a scalar", v -> v.get(0).sum(new int[] {0}, false).sin(), scalar));
        cases.add(GradCase.of("prod() of a scalar", v -> v.get(0).prod().sin(), scalar));
        cases.add(GradCase.of("max() of a scalar", v -> v.get(0).max().sin(), scalar));
        cases.add(GradCase.of("max(0) of a scalar", v -> v.get(0).max(0, true).values().sin(), scalar));
        cases.add(GradCase.of("norm(2) of a scalar", v -> v.get(0).norm(2).sin(), scalar));
        cases.add(GradCase.of("cumsum(0) of a scalar", v -> v.get(0).cumsum(0).sin(), scalar));
        cases.add(GradCase.of("logSoftmax(-1) of a scalar", v -> v.get(0).logSoftmax(-1).add(v.get(0)).sin(),
                scalar));
        return cases.stream();
    }

    private static Tensor draw(Values values, GradInputs in, Rng rng, int[] shape) {
        return switch (values) {
            case NORMAL -> in.normal(shape);
            case AWAY_FROM_ZERO -> in.uniform(0.5, 1.5, shape).mul(in.awayFromZero(-1, 1, shape).sign());
            case DISTINCT -> distinct(in, rng, shape).sub(0.05 * numel(shape));
            case DISTINCT_MAGNITUDES -> distinct(in, rng, shape).add(0.2).mul(in.awayFromZero(-1, 1, shape).sign());
        };
    }

    /** A random arrangement of 0, 0.1, 0.2, ... plus noise below 0.05: every pair differs by at least 0.05. */
    private static Tensor distinct(GradInputs in, Rng rng, int[] shape) {
        Tensor steps = Tensor.randperm(rng, numel(shape)).cast(DType.FLOAT64).mul(0.1).reshape(shape);
        return steps.add(in.uniform(0, 0.05, shape));
    }

    private static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradcheck(GradCase c) {
        GradCheck.Report r = GradCheck.gradcheck(c.f(), c.inputs());
        assertTrue(r.passed(), c.name() + ": " + r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradgradcheck(GradCase c) {
        GradCheck.Report r = GradCheck.gradgradcheck(c.f(), c.inputs());
        assertTrue(r.passed(), c.name() + ": " + r);
    }

    // ------------------------------------------------------------------ conventions, checked exactly

    /** The gradient of {@code f} at x, seeded with {@code seed} (null: the output has one element). */
    private static double[] gradient(Function<Variable, Variable> f, Tensor x, Tensor seed) {
        Variable v = Variable.parameter(x);
        f.apply(v).backward(seed);
        return v.grad().toDoubleArray();
    }

    @Test
    void maxAndMinOfAllSplitTheGradientAmongTies() {
        assertArrayEquals(new double[] {0, 0.5, 0.5}, gradient(Variable::max, Tensor.of(1.0, 3.0, 3.0), null), EXACT);
        assertArrayEquals(new double[] {0.5, 0, 0.5}, gradient(Variable::min, Tensor.of(-2.0, 4.0, -2.0), null), EXACT);
        double third = 1.0 / 3;
        assertArrayEquals(new double[] {third, third, third},
                gradient(Variable::max, Tensor.full(DType.FLOAT64, 7, 3), null), EXACT);
    }

    @Test
    void amaxAndAminSplitTheGradientAmongTiesOfEachSlice() {
        Tensor x = Tensor.of(new double[] {1, 3, 3, 2, 2, 2}, 2, 3);
        assertArrayEquals(new double[] {0, 3, 3, 1, 1, 1},
                gradient(v -> v.amax(new int[] {1}, false), x, Tensor.of(6.0, 3.0)), EXACT);
        // per column: a tie in the first, a single minimum in the others
        Tensor y = Tensor.of(new double[] {1, 5, 0, 1, 2, 4}, 2, 3);
        assertArrayEquals(new double[] {1, 0, 6, 1, 4, 0},
                gradient(v -> v.amin(new int[] {0}, true), y, Tensor.of(new double[] {2, 4, 6}, 1, 3)), EXACT);
    }

    @Test
    void infinityNormSplitsTheGradientAmongTiedMagnitudesWithTheirSigns() {
        assertArrayEquals(new double[] {-0.5, 0, 0.5}, gradient(x -> x.norm(INF), Tensor.of(-3.0, 1.0, 3.0), null),
                EXACT);
    }

    @Test
    void maxAlongAnAxisSendsTheGradientToTheReturnedIndexOnly() {
        // a tie in the first row: only the returned index gets the gradient
        Variable x = Variable.parameter(Tensor.of(new double[] {1, 5, 5, 4, 2, 0}, 2, 3));
        Variable.ValuesAndIndices r = x.max(1, false);
        assertArrayEquals(new double[] {5, 4}, r.values().value().toDoubleArray(), EXACT);
        double[] seed = {2, 3};
        r.values().backward(Tensor.of(seed));
        long[] index = r.indices().toLongArray();
        double[] expected = new double[6];
        for (int row = 0; row < 2; row++) {
            expected[row * 3 + (int) index[row]] = seed[row];
        }
        assertArrayEquals(expected, x.grad().toDoubleArray(), EXACT);
    }

    @Test
    void minAlongAnAxisWithKeepDimSendsTheGradientToTheReturnedIndexOnly() {
        // x[i][j][k] over axis 0, ties in two of the four (j, k) slices
        Variable x = Variable.parameter(Tensor.of(new double[] {3, 1, 2, 0, 3, 4, 2, 0}, 2, 2, 2));
        Variable.ValuesAndIndices r = x.min(0, true);
        assertArrayEquals(new int[] {1, 2, 2}, r.values().shape().toArray());
        double[] seed = {1, 2, 3, 4};
        r.values().backward(Tensor.of(seed, 1, 2, 2));
        long[] index = r.indices().toLongArray();
        double[] expected = new double[8];
        for (int jk = 0; jk < 4; jk++) {
            expected[(int) index[jk] * 4 + jk] = seed[jk];
        }
        assertArrayEquals(expected, x.grad().toDoubleArray(), EXACT);
    }

    @Test
    void prodWithZerosGivesTheProductOfTheOtherElements() {
        assertArrayEquals(new double[] {0, 24, 0, 0}, gradient(Variable::prod, Tensor.of(2.0, 0.0, 3.0, 4.0), null),
                EXACT);
        assertArrayEquals(new double[] {0, 0, 0}, gradient(Variable::prod, Tensor.of(0.0, 2.0, 0.0), null), EXACT);
        Tensor x = Tensor.of(new double[] {2, 0, 3, 1, 2, 3}, 2, 3);
        assertArrayEquals(new double[] {0, 6, 0, 6, 3, 2},
                gradient(v -> v.prod(new int[] {1}, false), x, Tensor.of(1.0, 1.0)), EXACT);
        // over two axes of a [2, 2, 2]: slices x[:, j, :], the zero in the slice j = 1
        Tensor y = Tensor.of(new double[] {2, 3, 5, 0, 7, 11, 13, 17}, 2, 2, 2);
        assertArrayEquals(new double[] {3 * 7 * 11, 2 * 7 * 11, 0, 5 * 13 * 17, 2 * 3 * 11, 2 * 3 * 7, 0, 0},
                gradient(v -> v.prod(new int[] {0, 2}, false), y, Tensor.of(1.0, 1.0)), EXACT);
    }

    @Test
    void prodWithAZeroHasExactSecondDerivatives() {
        // for three elements, d2 prod / dxi dxj is the third element (i != j) and 0 on the diagonal
        Variable x = Variable.parameter(Tensor.of(2.0, 0.0, 3.0));
        Variable g = Autograd.grad(x.prod(), List.of(x), true).get(0);
        double[][] expected = {{0, 3, 0}, {3, 0, 2}, {0, 2, 0}};
        for (int i = 0; i < 3; i++) {
            Variable row = Autograd.grad(List.of(g.select(0, i)), List.of(x), null, true, false, true).get(0);
            assertArrayEquals(expected[i], row.value().toDoubleArray(), EXACT, "row " + i);
        }
    }

    @Test
    void twoNormAtZeroHasAZeroGradientAndFiniteSecondDerivatives() {
        assertArrayEquals(new double[3], gradient(x -> x.norm(2), Tensor.zeros(DType.FLOAT64, 3), null), 0);
        Tensor x = Tensor.of(new double[] {0, 0, 3, 4}, 2, 2);
        assertArrayEquals(new double[] {0, 0, 0.6, 0.8},
                gradient(v -> v.norm(2, new int[] {1}, false), x, Tensor.of(1.0, 1.0)), EXACT);
        Variable z = Variable.parameter(Tensor.zeros(DType.FLOAT64, 3));
        Variable g = Autograd.grad(z.norm(2), List.of(z), true).get(0);
        double[] second = Autograd.grad(g.sum(), z).value().toDoubleArray();
        for (double d : second) {
            assertTrue(Double.isFinite(d), "second derivative " + d);
        }
    }

    @Test
    void stdOfAConstantSliceHasAZeroGradient() {
        // as PyTorch: 0 where the standard deviation is 0, instead of 0 / 0
        Tensor x = Tensor.of(new double[] {2, 2, 2, 1, 2, 4}, 2, 3);
        double[] g = gradient(v -> v.std(new int[] {1}, 1, false), x, Tensor.of(1.0, 1.0));
        assertArrayEquals(new double[] {0, 0, 0}, java.util.Arrays.copyOf(g, 3), 0);
        // second row: (x - mean) / ((n - 1) std), mean 7/3
        double mean = 7.0 / 3;
        double std = Math.sqrt(((1 - mean) * (1 - mean) + (2 - mean) * (2 - mean) + (4 - mean) * (4 - mean)) / 2);
        double[] expected = {(1 - mean) / (2 * std), (2 - mean) / (2 * std), (4 - mean) / (2 * std)};
        assertArrayEquals(expected, java.util.Arrays.copyOfRange(g, 3, 6), EXACT);
    }

    @Test
    void logsumexpSoftmaxAndLogSoftmaxStayFiniteAtLargeInputs() {
        double[] raw = {1e4, 1e4 + 1, 1e4 - 2};
        double[] y = softmaxOf(raw);
        double[] seed = {0.5, -1, 2};

        Variable x = Variable.parameter(Tensor.of(raw));
        Variable lse = x.logsumexp(new int[] {0}, false);
        double shifted = 0;
        for (double r : raw) {
            shifted += Math.exp(r - (1e4 + 1));
        }
        assertEquals(1e4 + 1 + Math.log(shifted), lse.item(), 1e-9);
        Variable g = Autograd.grad(lse, List.of(x), true).get(0);
        assertArrayEquals(y, g.value().toDoubleArray(), EXACT);
        // and its Hessian is diag(y) - y y^T
        for (int i = 0; i < 3; i++) {
            double[] row = Autograd.grad(List.of(g.select(0, i)), List.of(x), null, true, false, true).get(0)
                    .value().toDoubleArray();
            double[] expected = new double[3];
            for (int j = 0; j < 3; j++) {
                expected[j] = (i == j ? y[i] : 0) - y[i] * y[j];
            }
            assertArrayEquals(expected, row, EXACT, "Hessian row " + i);
        }

        double dot = 0;
        double total = 0;
        for (int i = 0; i < 3; i++) {
            dot += seed[i] * y[i];
            total += seed[i];
        }
        double[] softmaxGrad = new double[3];
        double[] logSoftmaxGrad = new double[3];
        for (int i = 0; i < 3; i++) {
            softmaxGrad[i] = y[i] * (seed[i] - dot);
            logSoftmaxGrad[i] = seed[i] - y[i] * total;
        }
        assertArrayEquals(softmaxGrad, gradient(v -> v.softmax(0), Tensor.of(raw), Tensor.of(seed)), EXACT);
        assertArrayEquals(logSoftmaxGrad, gradient(v -> v.logSoftmax(-1), Tensor.of(raw), Tensor.of(seed)), EXACT);
    }

    private static double[] softmaxOf(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            e[i] = Math.exp(x[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < x.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    @Test
    void cumsumGradientIsTheReverseCumulativeSum() {
        Tensor seed = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        // along axis 1: r[i][j] = sum over k >= j of seed[i][k]
        assertArrayEquals(new double[] {6, 5, 3, 15, 11, 6},
                gradient(v -> v.cumsum(1), Tensor.zeros(DType.FLOAT64, 2, 3), seed), EXACT);
        assertArrayEquals(new double[] {5, 7, 9, 4, 5, 6},
                gradient(v -> v.cumsum(-2), Tensor.zeros(DType.FLOAT64, 2, 3), seed), EXACT);
    }

    @Test
    void changingASavedValueInPlaceIsReported() {
        Variable x = Variable.parameter(Tensor.of(1.0, 2.0, 3.0));
        Variable p = x.prod();
        Variable s = x.softmax(0);
        s.value().mul_(2); // the softmax output, which its rule reads
        assertThrows(IllegalStateException.class, () -> s.sum().backward());
        try (Autograd.Scope scope = Autograd.noGrad()) {
            x.value().add_(1); // the input, which prod's rule reads
        }
        assertThrows(IllegalStateException.class, p::backward);
    }
}
