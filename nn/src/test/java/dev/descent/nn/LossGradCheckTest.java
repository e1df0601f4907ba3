package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.GradCheck;
import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.nn.functional.Reduction;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * First and second derivatives of the losses against central differences (float64): the losses are
 * composed of differentiable operations, so Hessian-vector products through them work.
 */
class LossGradCheckTest {
    private static final Rng RNG = new Rng(7);

    private static Tensor randn(int... shape) {
        return Tensor.randn(RNG, DType.FLOAT64, shape);
    }

    /** Probabilities along axis 1. */
    private static Tensor probabilities(int... shape) {
        return randn(shape).softmax(1);
    }

    static Stream<Arguments> cases() {
        Tensor labels = Tensor.of(new long[] {0, 3, -100, 1}, 4);
        Tensor labels3d = Tensor.of(new long[] {0, 2, 1, 1, 2, 0}, 2, 3);
        Tensor labels1 = Tensor.of(new long[] {2, 0, 1}, 3);
        // differences kept away from the kinks of |d| and of smooth L1 at |d| = beta
        Tensor x = Tensor.of(new double[] {0.9, -1.3, 0.2, 2.1, -0.45, 0.7}, 2, 3);
        Tensor y = Tensor.of(new double[] {0.1, -0.2, 0.65, 0.6, 0.3, -0.9}, 2, 3);
        return Stream.of(
                Arguments.of("crossEntropy mean, ignoreIndex, label smoothing", (Function<List<Variable>, Variable>)
                        v -> F.crossEntropy(v.get(0), v.get(1).value(), Reduction.MEAN, -100, 0.15),
                        List.of(randn(4, 5), labels)),
                Arguments.of("crossEntropy none, extra dims", (Function<List<Variable>, Variable>)
                        v -> F.crossEntropy(v.get(0), v.get(1).value(), Reduction.NONE, -100, 0.0),
                        List.of(randn(2, 3, 3), labels3d)),
                Arguments.of("crossEntropy with probabilities", (Function<List<Variable>, Variable>)
                        v -> F.crossEntropyWithProbabilities(v.get(0), v.get(1), Reduction.SUM, 0.1),
                        List.of(randn(3, 4), probabilities(3, 4))),
                Arguments.of("nllLoss sum", (Function<List<Variable>, Variable>)
                        v -> F.nllLoss(v.get(0).logSoftmax(1), v.get(1).value(), Reduction.SUM, 1),
                        List.of(randn(3, 4), labels1)),
                Arguments.of("mseLoss", (Function<List<Variable>, Variable>)
                        v -> F.mseLoss(v.get(0), v.get(1), Reduction.MEAN), List.of(x, y)),
                Arguments.of("l1Loss", (Function<List<Variable>, Variable>)
                        v -> F.l1Loss(v.get(0), v.get(1), Reduction.NONE), List.of(x, y)),
                Arguments.of("smoothL1Loss", (Function<List<Variable>, Variable>)
                        v -> F.smoothL1Loss(v.get(0), v.get(1), Reduction.SUM, 0.6), List.of(x, y)),
                Arguments.of("binaryCrossEntropyWithLogits", (Function<List<Variable>, Variable>)
                        v -> F.binaryCrossEntropyWithLogits(v.get(0), v.get(1), Reduction.MEAN),
                        List.of(x.mul(3), y.sigmoid())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradcheck(String name, Function<List<Variable>, Variable> f, List<Tensor> inputs) {
        GradCheck.Report report = GradCheck.gradcheck(f, inputs);
        assertTrue(report.passed(), name + ": " + report);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradgradcheck(String name, Function<List<Variable>, Variable> f, List<Tensor> inputs) {
        GradCheck.Report report = GradCheck.gradgradcheck(f, inputs);
        assertTrue(report.passed(), name + ": " + report);
    }
}
