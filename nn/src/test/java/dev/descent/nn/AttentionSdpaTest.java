package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.GradCheck;
import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link F#scaledDotProductAttention} against PyTorch 1.13 ({@code fixtures/transformer/sdpa.txt}). */
class AttentionSdpaTest {
    private static final TransformerFixture FX = TransformerFixture.load("sdpa.txt");

    private static void checkCase(String c, Tensor mask, boolean causal) {
        Variable q = FX.input(c, "q");
        Variable k = FX.input(c, "k");
        Variable v = FX.input(c, "v");
        F.AttentionResult r = F.scaledDotProductAttention(q, k, v, mask, causal, 0, null);
        FX.checkOutputsAndBackward(c, Map.of("output", r.output(), "weights", r.weights()));
        FX.checkInputGrad(c, "q", q);
        FX.checkInputGrad(c, "k", k);
        FX.checkInputGrad(c, "v", v);
    }

    @Test
    void booleanMaskMatchesPyTorch() {
        checkCase("mask", FX.mask("mask", "mask"), false);
    }

    @Test
    void causalMatchesPyTorch() {
        checkCase("causal", null, true);
    }

    @Test
    void broadcastMaskCombinedWithCausalOnARectangleMatchesPyTorch() {
        // mask [2, 1, 4, 5] over scores [2, 2, 4, 5]; causal aligned at the top left (query i sees keys 0..i)
        checkCase("both", FX.mask("both", "mask"), true);
    }

    @Test
    void fullyMaskedRowIsNaNAsInPyTorch113() {
        Variable q = Variable.constant(FX.get("fullrow.in.q"));
        Variable k = Variable.constant(FX.get("fullrow.in.k"));
        Variable v = Variable.constant(FX.get("fullrow.in.v"));
        F.AttentionResult r = F.scaledDotProductAttention(q, k, v, FX.mask("fullrow", "mask"), false, 0, null);
        FX.assertClose("fullrow.out.output", r.output().value());
        FX.assertClose("fullrow.out.weights", r.weights().value());
        assertTrue(Double.isNaN(r.output().value().getDouble(0, 1, 0)), "row 1 has every key masked");
        assertFalse(Double.isNaN(r.output().value().getDouble(0, 0, 0)));
    }

    @Test
    void fullyMaskedRowPoisonsTheValueGradientEvenWhenDiscarded() {
        Variable q = FX.input("fullrow", "q");
        Variable k = FX.input("fullrow", "k");
        Variable v = FX.input("fullrow", "v");
        Variable out = F.scaledDotProductAttention(q, k, v, FX.mask("fullrow", "mask"), false, 0, null).output();
        Tensor isNaN = out.value().ne(out.value());
        Variable.where(isNaN, Variable.constant(out.value().zerosLike()), out).sum().backward();
        assertTrue(Double.isNaN(v.grad().sum().item()), "0 * NaN reaches v's gradient, as in PyTorch");
        // the NaN row's softmax gradient reaches the scores, then q and k, as in PyTorch 1.13
        assertTrue(Double.isNaN(q.grad().sum().item()), "q's gradient is NaN, as in PyTorch");
        assertTrue(Double.isNaN(k.grad().sum().item()), "k's gradient is NaN, as in PyTorch");
    }

    @Test
    void weightsAreMaskedSoftmaxRows() {
        Rng rng = new Rng(3);
        Variable q = Variable.constant(Tensor.randn(rng, DType.FLOAT64, 3, 4, 2));
        Variable k = Variable.constant(Tensor.randn(rng, DType.FLOAT64, 3, 5, 2));
        Variable v = Variable.constant(Tensor.randn(rng, DType.FLOAT64, 3, 5, 2));
        Tensor w = F.scaledDotProductAttention(q, k, v, null, true, 0, null).weights().value();
        for (int b = 0; b < 3; b++) {
            for (int i = 0; i < 4; i++) {
                double sum = 0;
                for (int j = 0; j < 5; j++) {
                    double x = w.getDouble(b, i, j);
                    if (j > i) {
                        assertEquals(0.0, x, "key " + j + " is after query " + i);
                    }
                    sum += x;
                }
                assertEquals(1.0, sum, 1e-12);
            }
        }
    }

    @Test
    void causalAloneEqualsTheEquivalentBooleanMask() {
        // causal without a mask takes the fused causal softmax; the same rule as a mask takes the -inf path
        Rng rng = new Rng(8);
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            double tol = dtype == DType.FLOAT64 ? 0 : 1e-6;
            for (int[] lengths : new int[][] {{5, 5}, {3, 6}, {6, 3}}) {
                int lq = lengths[0];
                int lk = lengths[1];
                Tensor mask = Tensor.arange(lk).unsqueeze(0).gt(Tensor.arange(lq).unsqueeze(1));
                Tensor[] qkv = {Tensor.randn(rng, dtype, 2, lq, 4), Tensor.randn(rng, dtype, 2, lk, 4),
                        Tensor.randn(rng, dtype, 2, lk, 3)};
                Tensor seed = Tensor.randn(rng, dtype, 2, lq, 3);
                Variable[] fused = new Variable[3];
                Variable[] masked = new Variable[3];
                for (int i = 0; i < 3; i++) {
                    fused[i] = Variable.parameter(qkv[i]);
                    masked[i] = Variable.parameter(qkv[i]);
                }
                F.AttentionResult a = F.scaledDotProductAttention(fused[0], fused[1], fused[2], null, true, 0, null);
                F.AttentionResult b = F.scaledDotProductAttention(masked[0], masked[1], masked[2], mask, false, 0, null);
                String what = dtype + " Lq " + lq + " Lk " + lk;
                TransformerFixture.assertClose("weights " + what, b.weights().value(), a.weights().value(), tol);
                TransformerFixture.assertClose("output " + what, b.output().value(), a.output().value(), tol);
                a.output().backward(seed);
                b.output().backward(seed);
                for (int i = 0; i < 3; i++) {
                    TransformerFixture.assertClose("gradient " + i + " " + what, masked[i].grad(), fused[i].grad(), tol);
                }
            }
        }
    }

    @Test
    void dropoutZeroesWeightsAndRescalesTheRest() {
        Rng rng = new Rng(4);
        Variable q = Variable.constant(Tensor.randn(rng, DType.FLOAT64, 2, 6, 3));
        Variable k = Variable.constant(Tensor.randn(rng, DType.FLOAT64, 2, 7, 3));
        Variable v = Variable.constant(Tensor.randn(rng, DType.FLOAT64, 2, 7, 3));
        Tensor plain = F.scaledDotProductAttention(q, k, v, null, false, 0, null).weights().value();
        F.AttentionResult r = F.scaledDotProductAttention(q, k, v, null, false, 0.5, new Rng(5));
        Tensor dropped = r.weights().value();
        int zeros = 0;
        double[] p = plain.toDoubleArray();
        double[] d = dropped.toDoubleArray();
        for (int i = 0; i < p.length; i++) {
            if (d[i] == 0) {
                zeros++;
            } else {
                assertEquals(2 * p[i], d[i], 1e-14, "kept weights are scaled by 1 / (1 - p)");
            }
        }
        assertTrue(zeros > 10 && zeros < p.length - 10, "about half dropped, got " + zeros + " of " + p.length);
        TransformerFixture.assertClose("output = dropped weights @ v", dropped.matmul(v.value()), r.output().value(),
                1e-14);
    }

    @Test
    void gradcheckWithMaskAndCausal() {
        Rng rng = new Rng(6);
        Tensor mask = Tensor.of(new long[] {0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0}, 3, 4).ne(0);
        GradCheck.Report report = GradCheck.gradcheck(
                xs -> F.scaledDotProductAttention(xs.get(0), xs.get(1), xs.get(2), mask, true, 0, null).output(),
                List.of(Tensor.randn(rng, DType.FLOAT64, 2, 3, 2), Tensor.randn(rng, DType.FLOAT64, 2, 4, 2),
                        Tensor.randn(rng, DType.FLOAT64, 2, 4, 3)));
        assertTrue(report.passed(), report.toString());
    }

    @Test
    void gradcheckAndGradgradcheckCausalAlone() {
        Rng rng = new Rng(9);
        List<Tensor> inputs = List.of(Tensor.randn(rng, DType.FLOAT64, 2, 4, 2), Tensor.randn(rng, DType.FLOAT64, 2, 3, 2),
                Tensor.randn(rng, DType.FLOAT64, 2, 3, 3));
        java.util.function.Function<List<Variable>, Variable> f =
                xs -> F.scaledDotProductAttention(xs.get(0), xs.get(1), xs.get(2), null, true, 0, null).output();
        GradCheck.Report first = GradCheck.gradcheck(f, inputs);
        assertTrue(first.passed(), first.toString());
        GradCheck.Report second = GradCheck.gradgradcheck(f, inputs);
        assertTrue(second.passed(), second.toString());
    }

    @Test
    void rejectsBadArguments() {
        Rng rng = new Rng(7);
        Variable q = Variable.constant(Tensor.randn(rng, DType.FLOAT64, 2, 3, 4));
        Variable k = Variable.constant(Tensor.randn(rng, DType.FLOAT64, 2, 5, 4));
        Variable v = Variable.constant(Tensor.randn(rng, DType.FLOAT64, 2, 5, 6));
        Variable kBad = Variable.constant(Tensor.randn(rng, DType.FLOAT64, 2, 5, 3));
        Variable vBad = Variable.constant(Tensor.randn(rng, DType.FLOAT64, 2, 4, 6));
        assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, kBad, v, null, false, 0, null));
        assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, k, vBad, null, false, 0, null));
        Tensor floatMask = Tensor.zeros(DType.FLOAT64, 3, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.scaledDotProductAttention(q, k, v, floatMask, false, 0, null));
        assertTrue(e.getMessage().contains("BOOL"), e.getMessage());
        Tensor wrongShape = Tensor.zeros(DType.BOOL, 5, 3);
        assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, k, v, wrongShape, false, 0, null));
        Tensor tooBig = Tensor.zeros(DType.BOOL, 4, 2, 3, 5);
        assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, k, v, tooBig, false, 0, null));
        assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, k, v, null, false, 0.5, null));
        assertThrows(IllegalArgumentException.class, () -> F.scaledDotProductAttention(q, k, v, null, false, 1.5, rng));
    }
}
