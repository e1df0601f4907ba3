package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The decoder-only {@link TransformerLM} against a PyTorch reference built from {@code nn.TransformerEncoderLayer}
 * and a causal mask, as {@code bench/torch_ref.py} builds it ({@code fixtures/transformer/stacks.txt}).
 */
class TransformerLMTest {
    private static final TransformerFixture FX = TransformerFixture.load("stacks.txt");
    private static final TransformerFixture COUNTS = TransformerFixture.load("models.txt");

    private static TransformerLM.Config config(NormPosition position, FeedForwardActivation activation,
                                               PositionalEncoding.Kind positions, boolean tied) {
        return TransformerLM.Config.builder(11, 8, 8, 2, 2).dimFeedforward(16).normPosition(position)
                .activation(activation).positions(positions).tieWeights(tied).build();
    }

    private static void check(String c, TransformerLM.Config config) {
        TransformerLM lm = FX.loadInto(c, new TransformerLM(config, new Rng(0)));
        Variable logits = lm.forward(FX.get(c + ".tok.tokens"));
        FX.checkOutputsAndBackward(c, Map.of("logits", logits));
        FX.checkParamGrads(c, lm);
        assertEquals(COUNTS.get(c + ".count").item(), lm.parameterCount());
    }

    @Test
    void causalPreLnLmWithLearnedPositionsMatchesPyTorch() {
        check("lm_pre", config(NormPosition.PRE, FeedForwardActivation.RELU, PositionalEncoding.Kind.LEARNED, false));
    }

    @Test
    void causalPostLnLmWithSinusoidsAndTiedHeadMatchesPyTorch() {
        check("lm_post", config(NormPosition.POST, FeedForwardActivation.GELU, PositionalEncoding.Kind.SINUSOIDAL, true));
    }

    @Test
    void sinusoidalTableIsVaswanis() {
        // the fixture's table is computed in float64; Descent's buffer starts as FLOAT32
        SinusoidalPositionalEncoding pe = new SinusoidalPositionalEncoding(8, 8);
        TransformerFixture.assertClose("pe", FX.get("lm_post.param.positions.pe"), pe.stateDict().get("pe"), 1e-7);
        Tensor odd = new SinusoidalPositionalEncoding(4, 5).stateDict().get("pe");
        assertEquals(Math.sin(3 * Math.exp(-Math.log(10000.0) * 4 / 5)), odd.getDouble(3, 4), 1e-7);
    }

    @Test
    void logitsAtPositionTDependOnlyOnTokensUpToT() {
        TransformerLM lm = new TransformerLM(config(NormPosition.PRE, FeedForwardActivation.RELU,
                PositionalEncoding.Kind.LEARNED, false), new Rng(1));
        lm.to(DType.FLOAT64);
        Tensor a = Tensor.of(new long[] {1, 2, 3, 4, 5, 6}, 1, 6);
        Tensor b = Tensor.of(new long[] {1, 2, 3, 9, 0, 7}, 1, 6);
        Tensor la = lm.forward(a).value();
        Tensor lb = lm.forward(b).value();
        assertEquals(0.0, la.narrow(1, 0, 3).sub(lb.narrow(1, 0, 3)).abs().max().item());
        assertTrue(la.narrow(1, 3, 3).sub(lb.narrow(1, 3, 3)).abs().max().item() > 1e-6);
    }

    @Test
    void namesAndTying() {
        TransformerLM tied = new TransformerLM(config(NormPosition.POST, FeedForwardActivation.RELU,
                PositionalEncoding.Kind.SINUSOIDAL, true), new Rng(2));
        assertFalse(tied.stateDict().containsKey("head.weight"));
        assertFalse(tied.stateDict().containsKey("norm.weight"), "Post-LN has no final norm");
        assertTrue(tied.stateDict().containsKey("positions.pe"));
        TransformerLM untied = new TransformerLM(config(NormPosition.PRE, FeedForwardActivation.RELU,
                PositionalEncoding.Kind.LEARNED, false), new Rng(2));
        assertTrue(untied.stateDict().keySet().containsAll(java.util.List.of("embedding.weight", "positions.weight",
                "layers.0.self_attn.in_proj_weight", "layers.1.norm2.bias", "norm.weight", "head.weight",
                "head.bias")));
        // a tied head's gradient reaches the embedding through both uses
        tied.forward(Tensor.of(new long[] {1, 2, 3}, 1, 3)).select(2, 10).sum().backward();
        assertTrue(tied.embedding().weight().grad().select(0, 10).abs().max().item() > 0,
                "token 10 never appears in the input, only as an output class");
    }

    @Test
    void printsItsTree() {
        TransformerLM lm = new TransformerLM(TransformerLM.Config.builder(11, 8, 8, 2, 1).dimFeedforward(16)
                .tieWeights(true).build(), new Rng(3));
        String s = lm.toString();
        assertTrue(s.startsWith("TransformerLM(\n  (embedding): Embedding(11, 8)\n"
                + "  (positions): LearnedPositionalEncoding(8, 8)\n  (dropout): Dropout(p=0.0, inplace=False)\n"
                + "  (layers): ModuleList(\n    (0): TransformerEncoderLayer(\n"), s);
        assertTrue(s.endsWith("  (norm): LayerNorm((8,), eps=1e-05, elementwise_affine=True)\n)"), s);
    }

    @Test
    void rejectsBadTokens() {
        TransformerLM lm = new TransformerLM(TransformerLM.Config.builder(11, 4, 8, 2, 1).build(), new Rng(4));
        assertThrows(IllegalArgumentException.class, () -> lm.forward(Tensor.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> lm.forward(Tensor.zeros(DType.INT64, 1, 5)));
        assertThrows(IllegalArgumentException.class, () -> TransformerLM.Config.builder(11, 4, 9, 2, 1).build());
    }
}
