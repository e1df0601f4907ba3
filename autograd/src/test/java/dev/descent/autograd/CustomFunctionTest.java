package dev.descent.autograd;

import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

import static dev.descent.autograd.ClosedFormTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * User-defined operations: first and second derivatives by gradient checks, recording (a named node, none
 * under no-grad or for constants), and the errors a wrong backward or an in-place change must give.
 */
class CustomFunctionTest {
    private final GradInputs in = new GradInputs(99);

    /** x * sigmoid(x) fused, with its derivative s (1 + x (1 - s)). */
    private static final CustomFunction SWISH = CustomFunction.of("swish",
            xs -> xs[0].mul(xs[0].sigmoid()),
            (ctx, g) -> {
                Variable x = ctx.input(0);
                Variable s = x.sigmoid();
                return new Variable[] {g.mul(s.mul(x.mul(s.rsub(1)).add(1)))};
            });

    /** sqrt(a² + b²); the backward reuses the output: (g a / r, g b / r). */
    private static final CustomFunction HYPOT = CustomFunction.of("hypot",
            xs -> xs[0].square().add(xs[1].square()).sqrt(),
            (ctx, g) -> {
                Variable r = ctx.output();
                return new Variable[] {
                    ctx.needsInputGrad(0) ? g.mul(ctx.input(0)).div(r) : null,
                    ctx.needsInputGrad(1) ? g.mul(ctx.input(1)).div(r) : null};
            });

    private static final CustomFunction CUBE = CustomFunction.of("cube",
            xs -> xs[0].pow(3),
            (ctx, g) -> new Variable[] {g.mul(ctx.input(0).square()).mul(3)});

    @Test
    void swishPassesGradcheckAndGradgradcheck() {
        Function<List<Variable>, Variable> f = vs -> SWISH.apply(vs.get(0));
        Tensor x = in.uniform(-3, 3, 3, 4);
        for (Tensor layout : List.of(x, in.permuted(x), in.sliced(x))) {
            GradCheck.Report first = GradCheck.gradcheck(f, List.of(layout));
            assertTrue(first.passed(), first.toString());
            GradCheck.Report second = GradCheck.gradgradcheck(f, List.of(layout));
            assertTrue(second.passed(), second.toString());
        }
        Variable y = SWISH.apply(Variable.parameter(x));
        assertClose(x.silu().toDoubleArray(), y.value().toDoubleArray(), 1e-15, "swish is silu");
    }

    @Test
    void aRuleThatReusesItsOutputPassesGradgradcheck() {
        Function<List<Variable>, Variable> f = vs -> HYPOT.apply(vs.get(0), vs.get(1));
        List<Tensor> inputs = List.of(in.uniform(0.5, 2, 2, 3), in.uniform(-2, -0.5, 2, 3));
        assertTrue(GradCheck.gradcheck(f, inputs).passed(), GradCheck.gradcheck(f, inputs).toString());
        GradCheck.Report second = GradCheck.gradgradcheck(f, inputs);
        assertTrue(second.passed(), second.toString());
    }

    @Test
    void cubeDifferentiatesThreeTimes() {
        double[] points = {-1.5, 0.5, 2};
        Variable x = Variable.parameter(Tensor.of(points));
        Variable y = CUBE.apply(x);
        assertEquals("cube", y.opName());
        Variable d1 = Autograd.grad(y.sum(), List.of(x), true).get(0);
        Variable d2 = Autograd.grad(d1.sum(), List.of(x), true).get(0);
        Variable d3 = Autograd.grad(d2.sum(), List.of(x), false).get(0);
        assertArrayEquals(new double[] {6.75, 0.75, 12}, d1.value().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {-9, 3, 12}, d2.value().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {6, 6, 6}, d3.value().toDoubleArray(), 1e-15);
        // and through Functional: the Hessian of Σ x³ is diag(6x)
        Tensor h = Functional.hessian(v -> CUBE.apply(v).sum(), Tensor.of(points));
        assertArrayEquals(new double[] {-9, 0, 0, 0, 3, 0, 0, 0, 12}, h.toDoubleArray(), 1e-15);
    }

    @Test
    void backwardIsAskedOnlyForWantedGradients() {
        boolean[][] seen = new boolean[1][];
        CustomFunction probe = CustomFunction.of("probe", xs -> xs[0].mul(xs[1]), (ctx, g) -> {
            seen[0] = new boolean[] {ctx.needsInputGrad(0), ctx.needsInputGrad(1)};
            assertEquals(2, ctx.inputCount());
            return new Variable[] {ctx.needsInputGrad(0) ? g.mul(ctx.input(1)) : null, null};
        });
        Variable a = Variable.parameter(in.normal(3));
        Tensor b = in.normal(3);
        probe.apply(a, Variable.constant(b)).sum().backward();
        assertArrayEquals(new boolean[] {true, false}, seen[0]);
        assertArrayEquals(b.toDoubleArray(), a.grad().toDoubleArray(), 0.0);
    }

    @Test
    void noNodeIsRecordedUnderNoGradOrForConstants() {
        AtomicInteger backwards = new AtomicInteger();
        CustomFunction counted = CustomFunction.of("counted", xs -> xs[0].exp(), (ctx, g) -> {
            backwards.incrementAndGet();
            return new Variable[] {g.mul(ctx.output())};
        });
        Tensor x = in.normal(4);
        Variable p = Variable.parameter(x);
        Variable y;
        try (Autograd.Scope scope = Autograd.noGrad()) {
            y = counted.apply(p);
        }
        assertTrue(y.isLeaf() && !y.requiresGrad(), "no node under no-grad");
        assertNull(y.opName());
        assertArrayEquals(x.exp().toDoubleArray(), y.value().toDoubleArray(), 0.0);
        Variable fromConstant = counted.apply(Variable.constant(x));
        assertTrue(fromConstant.isLeaf() && !fromConstant.requiresGrad(), "no node when nothing requires a gradient");

        Variable recorded = counted.apply(p);
        assertEquals("counted", recorded.opName());
        recorded.sum().backward();
        assertEquals(1, backwards.get());
        assertArrayEquals(x.exp().toDoubleArray(), p.grad().toDoubleArray(), 0.0);
    }

    @Test
    void aWrongShapedGradientNamesTheOperation() {
        CustomFunction bad = CustomFunction.of("badShape", xs -> xs[0].mul(2),
                (ctx, g) -> new Variable[] {g.sum(0)});
        Variable x = Variable.parameter(in.normal(2, 3));
        Variable y = bad.apply(x).sum();
        var e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("'badShape'") && e.getMessage().contains("[3]")
                && e.getMessage().contains("input 0 of shape [2, 3]"), e.getMessage());

        CustomFunction wrongDtype = CustomFunction.of("wrongDtype", xs -> xs[0].mul(2),
                (ctx, g) -> new Variable[] {g.cast(DType.FLOAT32)});
        var dtype = assertThrows(IllegalStateException.class, () -> wrongDtype.apply(x).sum().backward());
        assertTrue(dtype.getMessage().contains("'wrongDtype'") && dtype.getMessage().contains("FLOAT32"),
                dtype.getMessage());

        CustomFunction wrongCount = CustomFunction.of("wrongCount", xs -> xs[0].add(xs[1]),
                (ctx, g) -> new Variable[] {g});
        var count = assertThrows(IllegalStateException.class,
                () -> wrongCount.apply(x, Variable.parameter(in.normal(2, 3))).sum().backward());
        assertTrue(count.getMessage().contains("'wrongCount'") && count.getMessage().contains("1 gradients for 2 inputs"),
                count.getMessage());
    }

    @Test
    void aWrongGradientFailsEvenForAnInputThatNeedsNone() {
        // input 1 is a constant, so its gradient is not wanted, but a wrong shape is a bug all the same
        CustomFunction bad = CustomFunction.of("badUnwanted", xs -> xs[0].mul(xs[1]),
                (ctx, g) -> new Variable[] {g.mul(ctx.input(1)), g.sum()});
        Variable y = bad.apply(Variable.parameter(in.normal(3)), Variable.constant(in.normal(3))).sum();
        var e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("'badUnwanted'") && e.getMessage().contains("input 1"), e.getMessage());
    }

    @Test
    void forwardMustReturnAFloatingPointTensor() {
        CustomFunction integer = CustomFunction.of("toIndex", xs -> xs[0].argmax(), (ctx, g) -> new Variable[1]);
        var e = assertThrows(IllegalStateException.class, () -> integer.apply(Variable.parameter(in.normal(3))));
        assertTrue(e.getMessage().contains("'toIndex'") && e.getMessage().contains("INT64"), e.getMessage());
    }

    @Test
    void anInputChangedInPlaceBeforeBackwardIsReported() {
        Tensor x = in.normal(3);
        Variable y = CUBE.apply(Variable.parameter(x)).sum();
        x.add_(1);
        var e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("'cube'") && e.getMessage().contains("modified in place"), e.getMessage());
    }

    @Test
    void applyTakesAListAndTheFunctionKnowsItsName() {
        List<Variable> args = List.of(Variable.parameter(Tensor.of(3.0)), Variable.parameter(Tensor.of(4.0)));
        Variable r = HYPOT.apply(args);
        assertEquals(5, r.item(), 0);
        assertEquals("hypot", HYPOT.name());
        assertFalse(r.isLeaf());
    }
}
