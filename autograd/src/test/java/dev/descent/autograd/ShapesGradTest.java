package dev.descent.autograd;

import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** First and second derivatives of views, copies, casts and joining, on contiguous and strided inputs. */
class ShapesGradTest {
    static final Set<String> COVERS = Set.of("reshape", "view", "permute", "transpose", "t", "narrow", "slice",
            "select", "get", "expand", "broadcastTo", "squeeze", "unsqueeze", "flatten", "contiguous", "clone", "cast",
            "cat", "stack", "split", "chunk", "pad");

    private record View(String name, Function<Variable, Variable> f, int[] shape) {
    }

    static Stream<GradCase> cases() {
        GradInputs in = new GradInputs(21);
        List<View> views = List.of(
                new View("reshape", x -> x.reshape(4, -1), new int[] {2, 3, 2}),
                new View("view (of a contiguous copy)", x -> x.contiguous().view(6, 2), new int[] {2, 3, 2}),
                new View("permute", x -> x.permute(2, 0, 1), new int[] {2, 3, 2}),
                new View("transpose", x -> x.transpose(0, 2), new int[] {2, 3, 2}),
                new View("t", Variable::t, new int[] {3, 4}),
                new View("narrow", x -> x.narrow(1, 1, 2), new int[] {2, 4, 2}),
                new View("narrow negative start", x -> x.narrow(-1, -3, 2), new int[] {2, 4}),
                new View("slice step 2", x -> x.slice(1, 1, 5, 2), new int[] {2, 5, 2}),
                new View("slice negative", x -> x.slice(0, -3, -1, 1), new int[] {4, 3}),
                new View("select", x -> x.select(1, 2), new int[] {2, 3, 2}),
                new View("select negative", x -> x.select(0, -1), new int[] {3, 2}),
                new View("get", x -> x.get(1, 0), new int[] {2, 3, 2}),
                new View("expand", x -> x.expand(2, 3, 4), new int[] {3, 1}),
                new View("broadcastTo", x -> x.broadcastTo(Shape.of(2, 3, 4)), new int[] {1, 4}),
                new View("squeeze", Variable::squeeze, new int[] {2, 1, 3, 1}),
                new View("squeeze(axis)", x -> x.squeeze(1), new int[] {2, 1, 3}),
                new View("unsqueeze", x -> x.unsqueeze(-1), new int[] {2, 3}),
                new View("flatten", Variable::flatten, new int[] {2, 3, 2}),
                new View("flatten(1, 2)", x -> x.flatten(1, 2), new int[] {2, 3, 2}),
                new View("contiguous", Variable::contiguous, new int[] {3, 4}),
                new View("clone", Variable::clone, new int[] {3, 4}),
                new View("pad", x -> x.pad(new int[] {1, 2, 0, 1}, 0.5), new int[] {2, 3}),
                new View("pad negative (crop)", x -> x.pad(new int[] {-1, 1}, 0), new int[] {2, 4}),
                new View("split by size", x -> weighted(x.split(2, 1)), new int[] {2, 5}),
                new View("split by sizes", x -> weighted(x.split(new int[] {1, 3}, 0)), new int[] {4, 2}),
                new View("chunk", x -> weighted(x.chunk(3, -1)), new int[] {2, 7}));
        List<GradCase> cases = new ArrayList<>();
        for (View v : views) {
            Tensor x = in.normal(v.shape);
            // a nonlinearity after the view, so that second derivatives are not all zero
            Function<List<Variable>, Variable> f = args -> v.f.apply(args.get(0)).sin();
            cases.add(GradCase.of(v.name + " contiguous", f, x));
            cases.add(GradCase.of(v.name + " permuted", f, in.permuted(x)));
            cases.add(GradCase.of(v.name + " sliced", f, in.sliced(x)));
        }
        cases.add(GradCase.of("cat", a -> Variable.cat(1, a.get(0), a.get(1).square(), a.get(2)).sin(),
                in.normal(2, 1), in.permuted(in.normal(2, 3)), in.normal(2, 2)));
        cases.add(GradCase.of("cat list, negative axis", a -> Variable.cat(List.of(a.get(0), a.get(1)), -2).tanh(),
                in.normal(1, 3), in.sliced(in.normal(2, 3))));
        cases.add(GradCase.of("stack", a -> Variable.stack(1, a.get(0), a.get(1).mul(a.get(0))).sin(),
                in.normal(2, 3), in.normal(2, 3)));
        cases.add(GradCase.of("stack list, last axis", a -> Variable.stack(List.of(a.get(0), a.get(1)), -1).exp(),
                in.normal(3), in.normal(3)));
        return cases.stream();
    }

    /** Pieces combined with distinct weights, so that each piece's gradient is distinguishable. */
    private static Variable weighted(List<Variable> pieces) {
        Variable total = null;
        for (int i = 0; i < pieces.size(); i++) {
            Variable term = pieces.get(i).square().sum().mul(i + 1);
            total = total == null ? term : total.add(term);
        }
        return total;
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

    @Test
    void castBetweenFloatDtypesCastsTheGradientBack() {
        // central differences through float32 are too coarse for gradcheck; the rule is exact instead
        Variable x = Variable.parameter(Tensor.of(0.25, -1.5, 3.0));
        Variable y = x.cast(DType.FLOAT32);
        assertEquals(DType.FLOAT32, y.dtype());
        Variable g = Autograd.grad(y.mul(y).sum(), x);
        assertEquals(DType.FLOAT64, g.dtype());
        assertArrayEquals(new double[] {0.5, -3.0, 6.0}, g.value().toDoubleArray());
    }

    @Test
    void castToAnIntegerDtypeCarriesNoGradient() {
        Variable x = Variable.parameter(Tensor.of(1.5, 2.5));
        Variable i = x.cast(DType.INT64);
        assertEquals(DType.INT64, i.dtype());
        assertTrue(!i.requiresGrad());
        assertNull(i.opName());
    }

    @Test
    void contiguousOfAContiguousValueIsTheValueItself() {
        Variable x = Variable.parameter(Tensor.ones(DType.FLOAT64, 2, 2));
        assertTrue(x.contiguous() == x);
    }
}
