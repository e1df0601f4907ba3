package dev.descent.autograd;

import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.descent.autograd.ConvolutionsGradTest.gradientOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * First and second derivatives of the gathers and scatters against central differences (float64), with
 * repeated indices, negative axes and contiguous, permuted and sliced inputs; some rows check third
 * derivatives, which differentiate each adjoint's own backward. Exact tests pin the accumulation at
 * repeated indices.
 */
class IndexingGradTest {
    /** The {@link Variable} methods this table checks (read by {@link VariableCoverageTest}). */
    static final Set<String> COVERS = Set.of("indexSelect", "gather", "scatterAdd", "take");

    private record Op(String name, Function<List<Variable>, Variable> f, int[][] shapes) {
    }

    private static int[][] shapes(int[]... shapes) {
        return shapes;
    }

    static Stream<GradCase> cases() {
        GradInputs in = new GradInputs(41);
        Tensor rowsRepeated = Tensor.of(2L, 0L, 2L, 1L);
        Tensor lastRepeated = Tensor.of(1L, 1L, 0L);
        Tensor gatherCols = Tensor.of(new long[] {0, 0, 2, 1, 2, 2}, 2, 3);
        // smaller than the input outside the gathered axis, as PyTorch allows
        Tensor gatherRows = Tensor.of(new long[] {2, 0, 2, 2}, 2, 2);
        Tensor gather3d = Tensor.of(new long[] {1, 0, 1, 1, 0, 0, 1, 1}, 2, 2, 2);
        Tensor scatterRows = Tensor.of(new long[] {0, 2, 0, 1, 0, 2, 2, 1}, 2, 4);
        Tensor scatterCols = Tensor.of(new long[] {1, 1, 3, 0, 0, 0}, 3, 2);
        Tensor flat = Tensor.of(new long[] {0, 11, 5, 5, 5, 2}, 2, 3);
        List<Op> ops = List.of(
                new Op("indexSelect axis 0, repeated", a -> a.get(0).indexSelect(0, rowsRepeated),
                        shapes(new int[] {3, 4})),
                new Op("indexSelect axis -1, repeated", a -> a.get(0).indexSelect(-1, lastRepeated),
                        shapes(new int[] {2, 3, 2})),
                new Op("indexSelect 0-D index", a -> a.get(0).indexSelect(1, Tensor.of(new long[] {2})),
                        shapes(new int[] {2, 3, 2})),
                new Op("gather axis 1, repeated", a -> a.get(0).gather(1, gatherCols), shapes(new int[] {2, 3})),
                new Op("gather axis -2, index smaller than the input", a -> a.get(0).gather(-2, gatherRows),
                        shapes(new int[] {3, 4})),
                new Op("gather rank 3, axis 2", a -> a.get(0).gather(2, gather3d), shapes(new int[] {2, 3, 2})),
                new Op("scatterAdd axis 0, repeated", a -> a.get(0).scatterAdd(0, scatterRows, a.get(1)),
                        shapes(new int[] {3, 4}, new int[] {2, 4})),
                new Op("scatterAdd axis -1, src larger than index", a -> a.get(0).scatterAdd(-1, scatterCols,
                        a.get(1)), shapes(new int[] {3, 4}, new int[] {4, 3})),
                new Op("take, repeated", a -> a.get(0).take(flat), shapes(new int[] {3, 4})));
        List<GradCase> cases = new ArrayList<>();
        for (Op op : ops) {
            List<Tensor> base = new ArrayList<>();
            for (int[] shape : op.shapes) {
                base.add(in.normal(shape));
            }
            // sin after the op, so that second derivatives are not all zero
            Function<List<Variable>, Variable> f = a -> op.f.apply(a).sin();
            cases.add(new GradCase(op.name + " contiguous", f, base));
            cases.add(new GradCase(op.name + " permuted", f, base.stream().map(in::permuted).toList()));
            cases.add(new GradCase(op.name + " sliced", f, base.stream().map(in::sliced).toList()));
        }
        // third derivatives: each adjoint's backward (the original gather or select) differentiated again
        cases.add(GradCase.of("third order: indexSelect", gradientOf(a -> a.get(0).indexSelect(0, rowsRepeated).sin()),
                in.normal(3, 2)));
        cases.add(GradCase.of("third order: gather", gradientOf(a -> a.get(0).gather(1, gatherCols).sin()),
                in.normal(2, 3)));
        cases.add(GradCase.of("third order: scatterAdd",
                gradientOf(a -> a.get(0).scatterAdd(-1, scatterCols, a.get(1)).sin()), in.normal(3, 4), in.normal(4, 3)));
        cases.add(GradCase.of("third order: take", gradientOf(a -> a.get(0).take(flat).sin()), in.normal(3, 4)));
        return cases.stream();
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
    void indexSelectAccumulatesAtARepeatedIndex() {
        Variable x = Variable.parameter(Tensor.of(1.0, 2.0, 3.0));
        Variable g = Autograd.grad(x.indexSelect(0, Tensor.of(0L, 0L, 2L)).sum(), x);
        assertArrayEquals(new double[] {2, 0, 1}, g.value().toDoubleArray());
    }

    @Test
    void indexSelectAccumulatesWholeSlices() {
        Variable x = Variable.parameter(Tensor.of(new double[6], 2, 3));
        Variable weights = Variable.constant(Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 6));
        Variable y = x.indexSelect(1, Tensor.of(2L, 0L, 2L, 2L, 1L, 0L));
        Variable g = Autograd.grad(y.mul(weights).sum(), x);
        // column 0 gets output columns 1 and 5, column 1 gets 4, column 2 gets 0, 2 and 3
        assertArrayEquals(new double[] {2 + 6, 5, 1 + 3 + 4, 8 + 12, 11, 7 + 9 + 10}, g.value().toDoubleArray());
    }

    @Test
    void gatherAccumulatesAtARepeatedIndex() {
        Variable x = Variable.parameter(Tensor.of(new double[6], 2, 3));
        Variable g = Autograd.grad(x.gather(1, Tensor.of(new long[] {0, 0, 2, 1, 1, 1}, 2, 3)).sum(), x);
        assertArrayEquals(new double[] {2, 0, 1, 0, 3, 0}, g.value().toDoubleArray());
    }

    @Test
    void takeAccumulatesAtARepeatedFlatIndexOfAStridedInput() {
        // x is the transpose of a 2x3 matrix, so flat index 1 is element (0, 1) of the view
        Variable x = Variable.parameter(Tensor.of(new double[6], 2, 3).t());
        Variable g = Autograd.grad(x.take(Tensor.of(new long[] {1, 1, 4}, 3)).sum(), x);
        assertEquals(x.shape(), g.shape());
        assertArrayEquals(new double[] {0, 2, 0, 0, 1, 0}, g.value().contiguous().toDoubleArray());
    }

    @Test
    void anIndexChangedInPlaceBeforeBackwardIsReported() {
        Variable x = Variable.parameter(Tensor.of(1.0, 2.0, 3.0));
        Tensor index = Tensor.of(new long[] {0, 2}, 2);
        Variable y = x.gather(0, index).sum();
        index.fill_(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("'gather'"), e.getMessage());
    }

    @Test
    void scatterAddGradientsAreTheOutputGradientForXAndItsGatherForSrc() {
        Variable x = Variable.parameter(Tensor.of(new double[4], 4));
        Variable src = Variable.parameter(Tensor.of(new double[3], 3));
        Variable weights = Variable.constant(Tensor.of(10.0, 20.0, 30.0, 40.0));
        // only the first two elements of src are scattered, both to position 3
        Variable y = x.scatterAdd(0, Tensor.of(3L, 3L), src).mul(weights).sum();
        List<Variable> grads = Autograd.grad(y, List.of(x, src), false);
        assertArrayEquals(new double[] {10, 20, 30, 40}, grads.get(0).value().toDoubleArray());
        assertArrayEquals(new double[] {40, 40, 0}, grads.get(1).value().toDoubleArray());
    }
}
