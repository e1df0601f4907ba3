package dev.descent.autograd;

import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * First and second derivatives of every elementwise operation against central differences (float64),
 * on contiguous, permuted and sliced inputs, with broadcasting for the binary ones.
 */
class PointwiseGradTest {
    /** The {@link Variable} methods this table checks (read by {@link VariableCoverageTest}). */
    static final Set<String> COVERS = Set.of("neg", "abs", "sign", "exp", "log", "log1p", "expm1", "sqrt", "rsqrt",
            "square", "reciprocal", "sin", "cos", "tanh", "sigmoid", "relu", "gelu", "geluTanh", "silu", "softplus",
            "erf", "clamp", "pow", "add", "sub", "rsub", "mul", "div", "rdiv", "rpow", "maximum", "minimum", "lerp",
            "where", "maskedFill");

    private record Unary(String name, Function<Variable, Variable> f, double lo, double hi) {
    }

    static Stream<GradCase> cases() {
        GradInputs in = new GradInputs(11);
        List<Unary> unary = List.of(
                new Unary("neg", Variable::neg, -2, 2),
                new Unary("abs", Variable::abs, -2, 2),
                new Unary("sign", Variable::sign, -2, 2),
                new Unary("exp", Variable::exp, -2, 2),
                new Unary("log", Variable::log, 0.3, 3),
                new Unary("log1p", Variable::log1p, -0.5, 2),
                new Unary("expm1", Variable::expm1, -2, 2),
                new Unary("sqrt", Variable::sqrt, 0.3, 3),
                new Unary("rsqrt", Variable::rsqrt, 0.3, 3),
                new Unary("square", Variable::square, -2, 2),
                new Unary("reciprocal", Variable::reciprocal, 0.3, 3),
                new Unary("sin", Variable::sin, -3, 3),
                new Unary("cos", Variable::cos, -3, 3),
                new Unary("tanh", Variable::tanh, -2, 2),
                new Unary("sigmoid", Variable::sigmoid, -3, 3),
                new Unary("relu", Variable::relu, -2, 2),
                // relu's fused backward differentiated with respect to a gradient that depends on x
                new Unary("relu then square", x -> x.relu().square(), -2, 2),
                new Unary("gelu", Variable::gelu, -3, 3),
                new Unary("geluTanh", Variable::geluTanh, -3, 3),
                new Unary("silu", Variable::silu, -3, 3),
                new Unary("softplus", Variable::softplus, -3, 3),
                new Unary("softplus(beta 2, threshold 1)", x -> x.softplus(2, 1), -2, 2),
                new Unary("erf", Variable::erf, -2, 2),
                new Unary("clamp(-0.5, 0.7)", x -> x.clamp(-0.5, 0.7), -2, 2),
                new Unary("pow(3)", x -> x.pow(3), -2, 2),
                new Unary("pow(-1.5)", x -> x.pow(-1.5), 0.3, 3),
                new Unary("pow(0)", x -> x.pow(0), 0.3, 3),
                new Unary("add(scalar)", x -> x.add(1.5), -2, 2),
                new Unary("sub(scalar)", x -> x.sub(1.5), -2, 2),
                new Unary("rsub", x -> x.rsub(1.5), -2, 2),
                new Unary("mul(scalar)", x -> x.mul(-2.5), -2, 2),
                new Unary("div(scalar)", x -> x.div(4), -2, 2),
                new Unary("rdiv", x -> x.rdiv(2), 0.3, 3),
                new Unary("rpow", x -> x.rpow(1.7), -2, 2),
                new Unary("maskedFill", x -> x.maskedFill(x.value().gt(0.5), 3), -2, 2),
                new Unary("where(cond, x, scalar)", x -> Variable.where(x.value().lt(0), x, 2), -2, 2));
        List<GradCase> cases = new ArrayList<>();
        for (Unary u : unary) {
            // values kept off kinks and ties: the awayFromZero shift moves them by 0.05 from 0 and clamp bounds
            Tensor x = u.lo < 0 ? in.awayFromZero(u.lo, u.hi, 3, 4) : in.uniform(u.lo, u.hi, 3, 4);
            Function<List<Variable>, Variable> f = v -> u.f.apply(v.get(0));
            cases.add(GradCase.of(u.name + " contiguous", f, x));
            cases.add(GradCase.of(u.name + " permuted", f, in.permuted(x)));
            cases.add(GradCase.of(u.name + " sliced", f, in.sliced(x)));
        }
        List<Object[]> binary = List.of(
                new Object[] {"add", (Function<List<Variable>, Variable>) v -> v.get(0).add(v.get(1))},
                new Object[] {"add(alpha)", (Function<List<Variable>, Variable>) v -> v.get(0).add(v.get(1), -0.5)},
                new Object[] {"sub", (Function<List<Variable>, Variable>) v -> v.get(0).sub(v.get(1))},
                new Object[] {"mul", (Function<List<Variable>, Variable>) v -> v.get(0).mul(v.get(1))},
                new Object[] {"div", (Function<List<Variable>, Variable>) v -> v.get(0).div(v.get(1))},
                new Object[] {"pow", (Function<List<Variable>, Variable>) v -> v.get(0).pow(v.get(1))},
                new Object[] {"maximum", (Function<List<Variable>, Variable>) v -> v.get(0).maximum(v.get(1))},
                new Object[] {"minimum", (Function<List<Variable>, Variable>) v -> v.get(0).minimum(v.get(1))},
                new Object[] {"lerp", (Function<List<Variable>, Variable>) v -> v.get(0).lerp(v.get(1), 0.3)},
                new Object[] {"where", (Function<List<Variable>, Variable>) v ->
                        Variable.where(v.get(0).value().gt(v.get(1).value()), v.get(0).mul(v.get(1)), v.get(1))});
        for (Object[] b : binary) {
            String name = (String) b[0];
            @SuppressWarnings("unchecked")
            Function<List<Variable>, Variable> f = (Function<List<Variable>, Variable>) b[1];
            // positive operands (pow, div); a and b differ by >= 0.1 everywhere so maximum/minimum have no ties
            Tensor a = in.uniform(0.5, 1.5, 3, 4);
            Tensor bSame = in.uniform(0.5, 1.5, 3, 4);
            Tensor bRow = in.uniform(1.6, 2.5, 4);
            Tensor bCol = in.uniform(0.2, 0.4, 3, 1);
            cases.add(GradCase.of(name + " same shape", f, a, separated(a, bSame)));
            cases.add(GradCase.of(name + " broadcast row", f, a, bRow));
            cases.add(GradCase.of(name + " broadcast column, permuted", f, in.permuted(a), bCol));
            cases.add(GradCase.of(name + " both broadcast", f, in.uniform(0.5, 1.5, 3, 1), in.uniform(1.6, 2.5, 1, 4)));
        }
        return cases.stream();
    }

    /** b moved away from a where they are within 0.1 of each other. */
    private static Tensor separated(Tensor a, Tensor b) {
        Tensor close = a.sub(b).abs().lt(0.1);
        return Tensor.where(close, a.add(0.2), b);
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
}
