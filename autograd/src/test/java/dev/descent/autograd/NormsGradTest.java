package dev.descent.autograd;

import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** First and second derivatives of the fused layer-norm primitive, and its agreement with the composite. */
class NormsGradTest {
    static final Set<String> COVERS = Set.of("layerNorm");

    static Stream<GradCase> cases() {
        GradInputs in = new GradInputs(31);
        Tensor x = in.normal(3, 4);
        Tensor x3 = in.normal(2, 3, 4);
        return Stream.of(
                GradCase.of("affine", v -> v.get(0).layerNorm(new int[] {4}, v.get(1), v.get(2), 1e-5).sin(),
                        x, in.normal(4), in.normal(4)),
                GradCase.of("affine permuted", v -> v.get(0).layerNorm(new int[] {4}, v.get(1), v.get(2), 1e-5).sin(),
                        in.permuted(x), in.normal(4), in.normal(4)),
                GradCase.of("no affine, two normalised axes", v -> v.get(0).layerNorm(new int[] {3, 4}, null, null, 1e-5).sin(),
                        x3),
                GradCase.of("weight only, sliced", v -> v.get(0).layerNorm(new int[] {4}, v.get(1), null, 1e-3).exp(),
                        in.sliced(x3), in.normal(4)));
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
    void fusedAndCompositeGradientsAgree() {
        GradInputs in = new GradInputs(32);
        Variable x = Variable.parameter(in.normal(5, 6));
        Variable w = Variable.parameter(in.normal(6));
        Variable b = Variable.parameter(in.normal(6));
        Tensor g = in.normal(5, 6);
        // first order: the fused kernel; with createGraph: the composite form
        List<Variable> fused = Autograd.grad(List.of(x.layerNorm(new int[] {6}, w, b, 1e-5)), List.of(x, w, b),
                List.of(g), false, false, false);
        List<Variable> composite = Autograd.grad(List.of(x.layerNorm(new int[] {6}, w, b, 1e-5)), List.of(x, w, b),
                List.of(g), true, true, false);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(composite.get(i).value().toDoubleArray(), fused.get(i).value().toDoubleArray(), 1e-12);
        }
    }
}
