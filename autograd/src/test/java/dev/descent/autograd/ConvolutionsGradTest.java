package dev.descent.autograd;

import dev.descent.tensor.ConvSpec;
import dev.descent.tensor.DType;
import dev.descent.tensor.PoolSpec;
import dev.descent.tensor.Rng;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * First and second derivatives of convolution and pooling against central differences (float64), with
 * strides, padding, dilation, groups, batches and non-square windows, on contiguous and strided inputs;
 * some rows check third derivatives (the second-order check of a gradient made with a graph), which
 * exercise the backward kernels' own backward rules. Exact tests pin the gradients on tiny cases.
 */
class ConvolutionsGradTest {
    /** The {@link Variable} methods this table checks (read by {@link VariableCoverageTest}). */
    static final Set<String> COVERS = Set.of("conv1d", "conv2d", "maxPool1d", "maxPool2d", "avgPool1d", "avgPool2d");

    static Stream<GradCase> cases() {
        GradInputs in = new GradInputs(31);
        Rng rng = new Rng(32);
        List<GradCase> cases = new ArrayList<>();

        // convolutions: input and weight both differentiated; sin after the convolution, so that the
        // gradient reaching the backward kernels depends on both
        cases.add(GradCase.of("conv1d plain", conv1d(1, 0, 1, 1), in.normal(1, 2, 5), in.normal(3, 2, 2)));
        cases.add(GradCase.of("conv1d stride 2, padding 1, dilation 2, groups 2, batch 2", conv1d(2, 1, 2, 2),
                in.normal(2, 4, 7), in.normal(4, 2, 3)));
        cases.add(GradCase.of("conv1d groups 3, padding 2, permuted input, sliced weight", conv1d(1, 2, 1, 3),
                in.permuted(in.normal(2, 3, 4)), in.sliced(in.normal(6, 1, 3))));
        cases.add(GradCase.of("conv2d non-square kernel, batch 2", conv2d(ConvSpec.of(1, 0, 1, 1)),
                in.normal(2, 2, 4, 5), in.normal(3, 2, 2, 3)));
        cases.add(GradCase.of("conv2d stride (2, 1), padding (1, 2), dilation (1, 2), groups 2",
                conv2d(new ConvSpec(2, 1, 1, 2, 1, 2, 2)), in.normal(2, 4, 4, 3), in.normal(4, 2, 3, 2)));
        cases.add(GradCase.of("conv2d depthwise stride 2 padding 1, permuted input, sliced weight",
                conv2d(ConvSpec.of(2, 1, 1, 3)), in.permuted(in.normal(1, 3, 4, 4)), in.sliced(in.normal(3, 1, 2, 2))));
        Tensor fixedWeight = in.normal(2, 2, 2, 2);
        // with a bias: the fused forward, and the bias's gradient summed over batch and positions
        cases.add(GradCase.of("conv2d with bias, stride 2 padding 1",
                a -> a.get(0).conv2d(a.get(1), a.get(2), ConvSpec.of(2, 1, 1, 1)).sin(),
                in.normal(2, 2, 4, 5), in.normal(3, 2, 3, 3), in.normal(3)));
        cases.add(GradCase.of("conv2d with bias, groups 2, permuted input",
                a -> a.get(0).conv2d(a.get(1), a.get(2), new ConvSpec(1, 1, 0, 0, 1, 1, 2)).sin(),
                in.permuted(in.normal(1, 4, 3, 3)), in.normal(4, 2, 2, 2), in.normal(4)));
        cases.add(GradCase.of("conv2d input only (constant weight)",
                a -> a.get(0).conv2d(Variable.constant(fixedWeight), ConvSpec.of(1, 1, 1, 1)).sin(),
                in.normal(2, 2, 3, 3)));
        Tensor fixedInput = in.normal(2, 2, 3, 3);
        cases.add(GradCase.of("conv2d weight only (constant input)",
                a -> Variable.constant(fixedInput).conv2d(a.get(0), ConvSpec.of(2, 1, 1, 1)).sin(),
                in.normal(3, 2, 2, 2)));

        // max pooling on distinct values, so that no window holds a tie; overlapping windows share maxima
        cases.add(GradCase.of("maxPool1d kernel 3 stride 2 padding 1", a -> a.get(0).maxPool1d(3, 2, 1).sin(),
                distinct(rng, 2, 3, 7)));
        cases.add(GradCase.of("maxPool1d kernel 2 stride 1, sliced", a -> a.get(0).maxPool1d(2, 1, 0).sin(),
                in.sliced(distinct(rng, 1, 2, 6))));
        cases.add(GradCase.of("maxPool2d kernel (2, 3) stride (1, 2) padding 1",
                a -> a.get(0).maxPool2d(new PoolSpec(2, 3, 1, 2, 1, 1, true)).sin(), distinct(rng, 2, 2, 4, 5)));
        cases.add(GradCase.of("maxPool2d kernel 2 stride 2, permuted", a -> a.get(0).maxPool2d(PoolSpec.of(2, 2, 0)).sin(),
                in.permuted(distinct(rng, 1, 2, 4, 4))));

        // average pooling, with the padding counted in the divisor and not
        cases.add(GradCase.of("avgPool1d kernel 3 stride 2 padding 1, pad counted",
                a -> a.get(0).avgPool1d(3, 2, 1, true).sin(), in.normal(2, 3, 7)));
        cases.add(GradCase.of("avgPool1d kernel 3 stride 2 padding 1, pad not counted, sliced",
                a -> a.get(0).avgPool1d(3, 2, 1, false).sin(), in.sliced(in.normal(2, 3, 7))));
        cases.add(GradCase.of("avgPool2d kernel (3, 2) stride (2, 1) padding 1, pad not counted",
                a -> a.get(0).avgPool2d(new PoolSpec(3, 2, 2, 1, 1, 1, false)).sin(), in.normal(2, 2, 5, 4)));
        cases.add(GradCase.of("avgPool2d kernel (3, 2) stride (2, 1) padding 1, pad counted, permuted",
                a -> a.get(0).avgPool2d(new PoolSpec(3, 2, 2, 1, 1, 1, true)).sin(), in.permuted(in.normal(2, 2, 5, 4))));
        cases.add(GradCase.of("avgPool2d kernel 2 stride 2, sliced", a -> a.get(0).avgPool2d(PoolSpec.of(2, 2, 0)).sin(),
                in.sliced(in.normal(1, 2, 4, 4))));

        // gradients of gradients of gradients: the backward kernels' rules differentiated once more
        cases.add(GradCase.of("third order: conv1d stride 2 padding 1 groups 2",
                gradientOf(conv1d(2, 1, 1, 2)), in.normal(1, 2, 5), in.normal(2, 1, 2)));
        cases.add(GradCase.of("third order: conv2d stride 2 padding 1", gradientOf(conv2d(ConvSpec.of(2, 1, 1, 1))),
                in.normal(1, 1, 3, 3), in.normal(2, 1, 2, 2)));
        cases.add(GradCase.of("third order: maxPool2d", gradientOf(a -> a.get(0).maxPool2d(PoolSpec.of(2, 1, 0)).sin()),
                distinct(rng, 1, 1, 3, 3)));
        cases.add(GradCase.of("third order: avgPool1d, pad not counted",
                gradientOf(a -> a.get(0).avgPool1d(2, 1, 1, false).sin()), in.normal(1, 2, 3)));
        return cases.stream();
    }

    private static Function<List<Variable>, Variable> conv1d(int stride, int padding, int dilation, int groups) {
        return a -> a.get(0).conv1d(a.get(1), stride, padding, dilation, groups).sin();
    }

    private static Function<List<Variable>, Variable> conv2d(ConvSpec spec) {
        return a -> a.get(0).conv2d(a.get(1), spec).sin();
    }

    /** Values 0.1 apart in a random order, so that no pooling window holds a tie or a near-tie. */
    private static Tensor distinct(Rng rng, int... shape) {
        int n = Shape.of(shape).numel();
        return Tensor.randperm(rng, n).cast(DType.FLOAT64).mul(0.1).sub(0.05 * n).reshape(shape);
    }

    /**
     * The gradient of {@code f}'s sum with respect to its FLOAT64 arguments, flattened and concatenated and
     * made with a graph, so that gradgradcheck of it checks third derivatives. Arguments that the checker
     * passes as constants (under no-grad, for central differences) are made leaves again; only their
     * values matter.
     */
    static Function<List<Variable>, Variable> gradientOf(Function<List<Variable>, Variable> f) {
        return args -> {
            try (Autograd.Scope scope = Autograd.enableGrad()) {
                List<Variable> leaves = new ArrayList<>();
                List<Variable> wrt = new ArrayList<>();
                for (Variable a : args) {
                    Variable leaf = a.requiresGrad() || a.dtype() != DType.FLOAT64 ? a : Variable.parameter(a.value());
                    leaves.add(leaf);
                    if (leaf.requiresGrad()) {
                        wrt.add(leaf);
                    }
                }
                List<Variable> flat = new ArrayList<>();
                for (Variable g : Autograd.grad(f.apply(leaves).sum(), wrt, true)) {
                    flat.add(g.reshape(-1));
                }
                return Variable.cat(flat, 0);
            }
        };
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
    void conv2dInputGradientOfASumIsTheSumOfTheTapsCoveringEachPosition() {
        // one 2x2 kernel over a 3x3 input: x[i][j] meets tap (p, q) in output (i - p, j - q) when that is in 2x2
        Variable x = Variable.parameter(Tensor.of(new double[9], 1, 1, 3, 3));
        Variable w = Variable.constant(Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2));
        Variable g = Autograd.grad(x.conv2d(w, ConvSpec.of(1, 0, 1, 1)).sum(), x);
        assertArrayEquals(new double[] {
            1, 1 + 2, 2,
            1 + 3, 1 + 2 + 3 + 4, 2 + 4,
            3, 3 + 4, 4}, g.value().toDoubleArray());
    }

    @Test
    void conv2dGradientsOfASumMatchDirectLoopsWithStrideAndPadding() {
        int n = 2;
        int c = 2;
        int h = 4;
        int wd = 5;
        int o = 3;
        int kh = 2;
        int kw = 3;
        int stride = 2;
        int pad = 1;
        GradInputs in = new GradInputs(33);
        Tensor xt = in.normal(n, c, h, wd);
        Tensor wt = in.normal(o, c, kh, kw);
        Variable x = Variable.parameter(xt);
        Variable w = Variable.parameter(wt);
        Variable y = x.conv2d(w, ConvSpec.of(stride, pad, 1, 1));
        List<Variable> grads = Autograd.grad(y.sum(), List.of(x, w), false);
        // d sum(y) / dx[b, ci, i, j]: every (output position, tap) pair that reads input position (i, j);
        // d sum(y) / dw[oc, ci, p, q]: every input value that tap (p, q) reads
        double[] xs = xt.toDoubleArray();
        double[] ws = wt.toDoubleArray();
        double[] dx = new double[xs.length];
        double[] dw = new double[ws.length];
        int oh = y.size(2);
        int ow = y.size(3);
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                for (int ci = 0; ci < c; ci++) {
                    for (int r = 0; r < oh; r++) {
                        for (int s = 0; s < ow; s++) {
                            for (int p = 0; p < kh; p++) {
                                for (int q = 0; q < kw; q++) {
                                    int i = r * stride - pad + p;
                                    int j = s * stride - pad + q;
                                    if (i < 0 || i >= h || j < 0 || j >= wd) {
                                        continue;
                                    }
                                    int xi = ((b * c + ci) * h + i) * wd + j;
                                    int wi = ((oc * c + ci) * kh + p) * kw + q;
                                    dx[xi] += ws[wi];
                                    dw[wi] += xs[xi];
                                }
                            }
                        }
                    }
                }
            }
        }
        assertArrayEquals(dx, grads.get(0).value().toDoubleArray(), 1e-12);
        assertArrayEquals(dw, grads.get(1).value().toDoubleArray(), 1e-12);
    }

    @Test
    void maxPool1dGradientLandsOnTheMaxima() {
        Variable x = Variable.parameter(Tensor.of(new double[] {1, 5, 2, 8, 4, 3}, 1, 1, 6));
        Variable g = Autograd.grad(x.maxPool1d(2, 2, 0).sum(), x);
        assertArrayEquals(new double[] {0, 1, 0, 1, 1, 0}, g.value().toDoubleArray());
    }

    @Test
    void maxPool2dGradientOfAMaximumSharedByOverlappingWindowsAddsUp() {
        // the centre is the maximum of all four 2x2 windows
        Variable x = Variable.parameter(Tensor.of(new double[] {1, 2, 3, 4, 9, 5, 6, 7, 8}, 1, 1, 3, 3));
        Variable y = x.maxPool2d(PoolSpec.of(2, 1, 0));
        assertArrayEquals(new double[] {9, 9, 9, 9}, y.value().toDoubleArray());
        Variable g = Autograd.grad(y.mul(Variable.constant(Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2))).sum(), x);
        assertArrayEquals(new double[] {0, 0, 0, 0, 10, 0, 0, 0, 0}, g.value().toDoubleArray());
    }

    @Test
    void avgPool1dGradientSpreadsEachWindowOverItsDivisor() {
        // kernel 2, stride 1, padding 1 over 3 elements: windows [pad, x0], [x0, x1], [x1, x2], [x2, pad]
        Variable x = Variable.parameter(Tensor.of(new double[] {1, 2, 3}, 1, 1, 3));
        Variable counted = Autograd.grad(x.avgPool1d(2, 1, 1, true).sum(), x);
        assertArrayEquals(new double[] {1, 1, 1}, counted.value().toDoubleArray(), 1e-15);
        Variable notCounted = Autograd.grad(x.avgPool1d(2, 1, 1, false).sum(), x);
        assertArrayEquals(new double[] {1.5, 1, 1.5}, notCounted.value().toDoubleArray(), 1e-15);
    }

    @Test
    void backwardKernelsAreRecordedAsTheirOwnOperations() {
        GradInputs in = new GradInputs(34);
        Variable x = Variable.parameter(in.normal(1, 2, 4, 4));
        Variable w = Variable.parameter(in.normal(2, 2, 2, 2));
        Variable y = x.conv2d(w, ConvSpec.of(1, 0, 1, 1)).square().sum();
        List<Variable> grads = Autograd.grad(y, List.of(x, w), true);
        assertEquals("conv2dInputGrad", grads.get(0).opName());
        assertEquals("conv2dWeightGrad", grads.get(1).opName());
        Variable p = Variable.parameter(in.normal(1, 1, 4));
        assertEquals("maxPool1dBackward", Autograd.grad(p.maxPool1d(2, 2, 0).square().sum(), List.of(p), true)
                .get(0).opName());
        assertEquals("avgPool1dBackward", Autograd.grad(p.avgPool1d(2, 2, 0, true).square().sum(), List.of(p), true)
                .get(0).opName());
    }
}
