package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.nn.functional.Reduction;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The loss modules, closed forms, per-sample losses and the error messages. */
class LossModulesTest {
    private final Rng rng = new Rng(3);

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should contain '" + p + "'");
        }
    }

    @Test
    void uniformLogitsGiveLogC() {
        Variable logits = Variable.parameter(Tensor.zeros(DType.FLOAT64, 3, 7));
        Variable loss = new CrossEntropyLoss().forward(logits, Tensor.of(new long[] {0, 6, 3}, 3));
        assertEquals(Math.log(7), loss.item(), 1e-15);
        loss.backward();
        // d/dz = softmax - onehot, divided by N
        assertEquals((1.0 / 7 - 1) / 3, logits.grad().getDouble(0, 0), 1e-15);
        assertEquals(1.0 / 7 / 3, logits.grad().getDouble(0, 1), 1e-15);
    }

    @Test
    void labelSmoothingOfUniformLogitsStillGivesLogC() {
        // the smoothed target is a distribution, and every class has log-probability -log C
        Variable logits = Variable.constant(Tensor.zeros(DType.FLOAT64, 2, 4));
        Variable loss = new CrossEntropyLoss(Reduction.MEAN, -100, 0.3).forward(logits, Tensor.of(new long[] {1, 2}, 2));
        assertEquals(Math.log(4), loss.item(), 1e-15);
    }

    @Test
    void perSampleLossesHaveTheTargetShapeAndAddUpToTheReductions() {
        Variable logits = Variable.constant(Tensor.randn(rng, DType.FLOAT64, 4, 3, 5));
        Tensor target = Tensor.of(new long[] {0, 1, 2, 9, 0, 1, 2, 0, 1, 2, 9, 9, 0, 0, 1, 1, 2, 2, 0, 9}, 4, 5);
        Variable none = F.crossEntropy(logits, target, Reduction.NONE, 9, 0.1);
        assertArrayEquals(new int[] {4, 5}, none.shape().toArray());
        assertEquals(0.0, none.value().getDouble(0, 3), "an ignored position contributes 0");
        double sum = none.value().sum().item();
        assertEquals(sum, F.crossEntropy(logits, target, Reduction.SUM, 9, 0.1).item(), 1e-12);
        assertEquals(sum / 16, F.crossEntropy(logits, target, Reduction.MEAN, 9, 0.1).item(), 1e-12,
                "the mean is over the 16 targets that are not ignored");
    }

    @Test
    void crossEntropyEqualsNllOfLogSoftmax() {
        Variable logits = Variable.constant(Tensor.randn(rng, DType.FLOAT64, 5, 4));
        Tensor target = Tensor.of(new long[] {3, 0, 1, 1, 2}, 5);
        double ce = new CrossEntropyLoss().forward(logits, target).item();
        double nll = new NLLLoss().forward(logits.logSoftmax(1), target).item();
        assertEquals(ce, nll, 1e-14);
        // and the direct formula, computed here element by element
        double expected = 0;
        for (int i = 0; i < 5; i++) {
            double lse = 0;
            for (int c = 0; c < 4; c++) {
                lse += Math.exp(logits.value().getDouble(i, c));
            }
            expected += Math.log(lse) - logits.value().getDouble(i, (int) target.getLong(i));
        }
        assertEquals(expected / 5, ce, 1e-13);
    }

    @Test
    void floatingPointTargetMeansProbabilities() {
        Variable logits = Variable.constant(Tensor.randn(rng, 3, 4));
        Tensor probs = Tensor.randn(rng, 3, 4).softmax(1);
        CrossEntropyLoss ce = new CrossEntropyLoss(Reduction.NONE, -100, 0.1);
        assertArrayEquals(ce.forward(logits, Variable.constant(probs)).value().toFloatArray(),
                ce.forward(logits, probs).value().toFloatArray());
        var e = assertThrows(IllegalArgumentException.class,
                () -> F.crossEntropy(logits, probs, Reduction.MEAN, 0, 0));
        assertMessage(e, "crossEntropy", "ignoreIndex 0", "probability");
    }

    @Test
    void bceWithLogitsIsStableAndHasGradientSigmoidMinusTarget() {
        Variable x = Variable.parameter(Tensor.of(0.0, 1000.0, -1000.0, 0.0));
        Variable y = Variable.constant(Tensor.of(1.0, 0.0, 1.0, 0.25));
        Variable loss = new BCEWithLogitsLoss(Reduction.NONE).forward(x, y);
        assertArrayEquals(new double[] {Math.log(2), 1000, 1000, Math.log(2)}, loss.value().toDoubleArray(), 1e-12);
        loss.sum().backward();
        // at x = 0 the gradient is sigmoid(0) - y, which a max/abs formulation gets wrong
        assertArrayEquals(new double[] {-0.5, 1, -1, 0.25}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void regressionLossesInClosedForm() {
        Variable x = Variable.constant(Tensor.of(1.0, -2.0, 0.5));
        Variable y = Variable.constant(Tensor.of(0.0, 0.0, 0.0));
        assertEquals((1 + 4 + 0.25) / 3, new MSELoss().forward(x, y).item(), 1e-15);
        assertEquals(3.5, new L1Loss(Reduction.SUM).forward(x, y).item(), 1e-15);
        // beta 1: |d| = 1 is on the linear piece (1 - 0.5), 2 gives 1.5, 0.5 the quadratic 0.125
        assertArrayEquals(new double[] {0.5, 1.5, 0.125},
                new SmoothL1Loss(Reduction.NONE, 1.0).forward(x, y).value().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {1, 2, 0.5},
                new SmoothL1Loss(Reduction.NONE, 0.0).forward(x, y).value().toDoubleArray(), 1e-15);
    }

    @Test
    void shapeMismatchesNameTheLossAndTheShapes() {
        Variable logits = Variable.constant(Tensor.zeros(4, 5));
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss().forward(logits, Tensor.of(new long[] {1, 2, 3}, 3))),
                "crossEntropy", "[4, 5]", "[3]");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new NLLLoss().forward(Variable.constant(Tensor.zeros(2, 3, 4)), Tensor.zeros(DType.INT64, 2, 3))),
                "nllLoss", "[2, 3, 4]", "[2, 4]", "[2, 3]");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new MSELoss().forward(Variable.constant(Tensor.zeros(4, 1)), Variable.constant(Tensor.zeros(4)))),
                "mseLoss", "[4, 1]", "[4]");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new L1Loss().forward(Variable.constant(Tensor.zeros(2)), Variable.constant(Tensor.zeros(DType.FLOAT64, 2)))),
                "l1Loss", "FLOAT32", "FLOAT64");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new BCEWithLogitsLoss().forward(Variable.constant(Tensor.zeros(3)), Variable.constant(Tensor.zeros(2)))),
                "binaryCrossEntropyWithLogits", "[3]", "[2]");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss().forward(logits, Variable.constant(Tensor.zeros(4, 4)))),
                "crossEntropyWithProbabilities", "[4, 4]", "[4, 5]");
    }

    @Test
    void outOfRangeTargetsAreReportedNotIndexed() {
        Variable logits = Variable.constant(Tensor.zeros(4, 5));
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss().forward(logits, Tensor.of(new long[] {1, 2, 5, 0}, 4))),
                "crossEntropy", "target 5", "position 2", "5 classes");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new NLLLoss(Reduction.SUM, 3).forward(logits, Tensor.of(new long[] {-1, 3, 3, 3}, 4))),
                "nllLoss", "target -1", "ignoreIndex 3");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss().forward(logits, Tensor.of(true, false, true, true))),
                "crossEntropy", "INT64", "BOOL");
    }

    @Test
    void optionsAreChecked() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new SmoothL1Loss(Reduction.MEAN, -1)),
                "beta");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new CrossEntropyLoss(Reduction.MEAN, -100, 1.5)), "labelSmoothing", "1.5");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> F.crossEntropy(Variable.constant(Tensor.zeros(2, 2)), Tensor.zeros(DType.INT64, 2),
                        Reduction.MEAN, -100, -0.1)), "labelSmoothing");
    }

    @Test
    void unbatchedInputTakesAScalarTarget() {
        Variable logits = Variable.constant(Tensor.of(1.0, 2.0, 3.0));
        Variable none = new CrossEntropyLoss(Reduction.NONE).forward(logits, Tensor.scalar(DType.INT64, 2));
        assertEquals(0, none.dim());
        assertEquals(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3, none.item(), 1e-14);
    }

    @Test
    void modulesPrintTheirOptions() {
        assertEquals("CrossEntropyLoss(reduction=MEAN, ignoreIndex=-100, labelSmoothing=0.0)",
                new CrossEntropyLoss().toString());
        assertEquals("SmoothL1Loss(reduction=SUM, beta=0.5)", new SmoothL1Loss(Reduction.SUM, 0.5).toString());
        assertEquals("MSELoss(reduction=NONE)", new MSELoss(Reduction.NONE).toString());
    }
}
