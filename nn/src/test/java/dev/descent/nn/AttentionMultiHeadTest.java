package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link MultiHeadAttention} against {@code torch.nn.MultiheadAttention} ({@code fixtures/transformer/mha.txt}). */
class AttentionMultiHeadTest {
    private static final TransformerFixture FX = TransformerFixture.load("mha.txt");

    private static MultiHeadAttention loaded(String c) {
        return FX.loadInto(c, new MultiHeadAttention(8, 2, new Rng(0)));
    }

    @Test
    void selfAttentionWithMaskAndKeyPaddingMatchesPyTorch() {
        MultiHeadAttention mha = loaded("self");
        Variable x = FX.input("self", "x");
        Tensor kpm = FX.mask("self", "kpm");
        Tensor attn = FX.mask("self", "attn");
        F.AttentionResult heads = mha.forward(x, x, x, kpm, true, attn, false, false);
        FX.assertClose("self.out.weights_per_head", heads.weights().value());
        F.AttentionResult r = mha.forward(x, x, x, kpm, true, attn, true, false);
        FX.checkOutputsAndBackward("self", Map.of("output", r.output(), "weights", r.weights()));
        FX.checkInputGrad("self", "x", x);
        FX.checkParamGrads("self", mha);
    }

    @Test
    void crossAttentionWithPerHeadMaskAndKeyPaddingMatchesPyTorch() {
        MultiHeadAttention mha = loaded("cross");
        Variable q = FX.input("cross", "query");
        Variable k = FX.input("cross", "key");
        Variable v = FX.input("cross", "value");
        F.AttentionResult r = mha.forward(q, k, v, FX.mask("cross", "kpm"), true, FX.mask("cross", "attn"), true, false);
        FX.checkOutputsAndBackward("cross", Map.of("output", r.output(), "weights", r.weights()));
        FX.checkInputGrad("cross", "query", q);
        FX.checkInputGrad("cross", "key", k);
        FX.checkInputGrad("cross", "value", v);
        FX.checkParamGrads("cross", mha);
    }

    @Test
    void parametersAreNamedAndInitialisedAsPyTorch() {
        MultiHeadAttention mha = new MultiHeadAttention(8, 2, new Rng(1));
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
                List.copyOf(mha.stateDict().keySet()));
        assertEquals(TransformerFixture.load("models.txt").get("mha.count").item(), mha.parameterCount());
        assertEquals(0.0, mha.inProjBias().value().abs().max().item());
        assertEquals(0.0, mha.outProj().bias().value().abs().max().item());
        // Xavier-uniform over [24, 8]: U(-r, r) with r = sqrt(6 / 32)
        double r = Math.sqrt(6.0 / 32);
        double maxAbs = mha.inProjWeight().value().abs().max().item();
        assertTrue(maxAbs <= r && maxAbs > 0.8 * r, "in_proj_weight max |w| " + maxAbs + " vs bound " + r);
        // out_proj keeps Linear's U(-1/sqrt(8), 1/sqrt(8))
        assertTrue(mha.outProj().weight().value().abs().max().item() <= 1 / Math.sqrt(8));

        MultiHeadAttention noBias = new MultiHeadAttention(8, 4, 0.1, false, new Rng(1));
        assertEquals(List.of("in_proj_weight", "out_proj.weight"), List.copyOf(noBias.stateDict().keySet()));
        assertEquals("MultiHeadAttention(\n  (out_proj): Linear(in_features=8, out_features=8, bias=True)\n)",
                mha.toString());
    }

    @Test
    void unbatchedInputIsABatchOfOne() {
        MultiHeadAttention mha = loaded("self");
        Tensor x = FX.get("self.in.x");
        Tensor kpm = FX.mask("self", "kpm");
        Variable x1 = Variable.constant(x.select(0, 1));
        F.AttentionResult one = mha.forward(x1, x1, x1, kpm.select(0, 1), true, FX.mask("self", "attn"), true, false);
        F.AttentionResult all = mha.forward(Variable.constant(x), Variable.constant(x), Variable.constant(x), kpm, true,
                FX.mask("self", "attn"), true, false);
        TransformerFixture.assertClose("output", all.output().value().select(0, 1), one.output().value(), 1e-12);
        TransformerFixture.assertClose("weights", all.weights().value().select(0, 1), one.weights().value(), 1e-12);
    }

    @Test
    void causalFlagEqualsTheSubsequentMaskAndNeedWeightsFalseGivesNoWeights() {
        MultiHeadAttention mha = loaded("self");
        Variable x = Variable.constant(FX.get("self.in.x"));
        F.AttentionResult flag = mha.forward(x, x, x, null, false, null, true, true);
        F.AttentionResult mask = mha.forward(x, x, x, null, true, Transformer.generateSquareSubsequentMask(5), true,
                false);
        assertNull(flag.weights());
        TransformerFixture.assertClose("causal", mask.output().value(), flag.output().value(), 0);
        // the first query sees only the first key
        assertEquals(1.0, mask.weights().value().getDouble(0, 0, 0), 1e-15);
    }

    @Test
    void dropoutActsInTrainingOnly() {
        MultiHeadAttention mha = new MultiHeadAttention(8, 2, 0.5, true, new Rng(2));
        mha.to(DType.FLOAT64);
        Variable x = Variable.constant(Tensor.randn(new Rng(3), DType.FLOAT64, 2, 6, 8));
        Tensor train1 = mha.forward(x, x, x).output().value();
        Tensor train2 = mha.forward(x, x, x).output().value();
        mha.eval();
        Tensor eval1 = mha.forward(x, x, x).output().value();
        Tensor eval2 = mha.forward(x, x, x).output().value();
        TransformerFixture.assertClose("eval is deterministic", eval1, eval2, 0);
        assertNotEquals(0.0, train1.sub(train2).abs().max().item(), "fresh dropout masks each call");
        assertNotEquals(0.0, train1.sub(eval1).abs().max().item());
    }

    @Test
    void rejectsBadShapesAndMasks() {
        MultiHeadAttention mha = new MultiHeadAttention(8, 2, new Rng(4));
        Variable x = Variable.constant(Tensor.zeros(2, 5, 8));
        Variable wrongWidth = Variable.constant(Tensor.zeros(2, 5, 6));
        Variable unbatched = Variable.constant(Tensor.zeros(5, 8));
        assertThrows(IllegalArgumentException.class, () -> new MultiHeadAttention(8, 3, new Rng(0)));
        assertThrows(IllegalArgumentException.class, () -> mha.forward(x, wrongWidth, wrongWidth));
        assertThrows(IllegalArgumentException.class, () -> mha.forward(x, unbatched, unbatched));
        assertThrows(IllegalArgumentException.class,
                () -> mha.forward(x, x, x, null, true, Tensor.zeros(DType.BOOL, 4, 5), true, false));
        assertThrows(IllegalArgumentException.class,
                () -> mha.forward(x, x, x, null, true, Tensor.zeros(DType.BOOL, 3, 5, 5), true, false));
        assertThrows(IllegalArgumentException.class,
                () -> mha.forward(x, x, x, Tensor.zeros(DType.BOOL, 5, 2), true, null, true, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mha.forward(x, x, x, null, true, Tensor.zeros(5, 5), true, false));
        assertTrue(e.getMessage().contains("BOOL"), e.getMessage());
    }
}
