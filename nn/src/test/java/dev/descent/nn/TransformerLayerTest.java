package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Encoder and decoder blocks against {@code torch.nn.TransformerEncoderLayer} / {@code DecoderLayer} with
 * {@code norm_first=True} (PRE) and {@code False} (POST) on fixed weights ({@code fixtures/transformer/layers.txt}).
 */
class TransformerLayerTest {
    private static final TransformerFixture FX = TransformerFixture.load("layers.txt");

    private static void checkEncoder(String c, NormPosition position, FeedForwardActivation activation) {
        TransformerEncoderLayer layer = FX.loadInto(c,
                new TransformerEncoderLayer(8, 2, 16, 0.0, activation, 1e-5, position, new Rng(0)));
        Variable x = FX.input(c, "x");
        Variable out = layer.forward(x, FX.mask(c, "src"), FX.mask(c, "kpm"), false);
        FX.checkOutputsAndBackward(c, Map.of("output", out));
        FX.checkInputGrad(c, "x", x);
        FX.checkParamGrads(c, layer);
    }

    private static void checkDecoder(String c, NormPosition position, FeedForwardActivation activation) {
        TransformerDecoderLayer layer = FX.loadInto(c,
                new TransformerDecoderLayer(8, 2, 16, 0.0, activation, 1e-5, position, new Rng(0)));
        Variable tgt = FX.input(c, "tgt");
        Variable memory = FX.input(c, "memory");
        // PyTorch was given the causal mask explicitly; here the flag builds it
        Variable out = layer.forward(tgt, memory, null, null, FX.mask(c, "tgt_kpm"), FX.mask(c, "memory_kpm"), true,
                false);
        FX.checkOutputsAndBackward(c, Map.of("output", out));
        FX.checkInputGrad(c, "tgt", tgt);
        FX.checkInputGrad(c, "memory", memory);
        FX.checkParamGrads(c, layer);
    }

    @Test
    void preLnEncoderLayerMatchesPyTorchNormFirst() {
        checkEncoder("enc_pre", NormPosition.PRE, FeedForwardActivation.GELU);
    }

    @Test
    void postLnEncoderLayerMatchesPyTorch() {
        checkEncoder("enc_post", NormPosition.POST, FeedForwardActivation.RELU);
    }

    @Test
    void preLnDecoderLayerMatchesPyTorchNormFirst() {
        checkDecoder("dec_pre", NormPosition.PRE, FeedForwardActivation.RELU);
    }

    @Test
    void postLnDecoderLayerMatchesPyTorch() {
        checkDecoder("dec_post", NormPosition.POST, FeedForwardActivation.GELU);
    }

    @Test
    void preAndPostDifferOnTheSameWeights() {
        // the PRE fixture's weights in a POST block must not reproduce the PRE output
        TransformerEncoderLayer post = FX.loadInto("enc_pre", new TransformerEncoderLayer(8, 2, 16, 0.0,
                FeedForwardActivation.GELU, 1e-5, NormPosition.POST, new Rng(0)));
        Variable out = post.forward(FX.input("enc_pre", "x"), FX.mask("enc_pre", "src"), FX.mask("enc_pre", "kpm"), false);
        assertNotEquals(0.0, out.value().sub(FX.get("enc_pre.out.output")).abs().max().item());
    }

    @Test
    void stateDictNamesAreTorchs() {
        TransformerEncoderLayer enc = new TransformerEncoderLayer(8, 2, 16, 0.1, NormPosition.PRE, new Rng(1));
        assertEquals(List.of("self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
                "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
                "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"), List.copyOf(enc.stateDict().keySet()));
        TransformerDecoderLayer dec = new TransformerDecoderLayer(8, 2, 16, 0.1, NormPosition.POST, new Rng(1));
        assertEquals(List.copyOf(FX.stateDict("dec_post").keySet()), List.copyOf(dec.stateDict().keySet()));
    }

    @Test
    void printsAsPyTorch() {
        String expected = String.join("\n",
                "TransformerEncoderLayer(",
                "  (self_attn): MultiHeadAttention(",
                "    (out_proj): Linear(in_features=8, out_features=8, bias=True)",
                "  )",
                "  (linear1): Linear(in_features=8, out_features=16, bias=True)",
                "  (dropout): Dropout(p=0.1, inplace=False)",
                "  (linear2): Linear(in_features=16, out_features=8, bias=True)",
                "  (norm1): LayerNorm((8,), eps=1e-05, elementwise_affine=True)",
                "  (norm2): LayerNorm((8,), eps=1e-05, elementwise_affine=True)",
                "  (dropout1): Dropout(p=0.1, inplace=False)",
                "  (dropout2): Dropout(p=0.1, inplace=False)",
                ")");
        assertEquals(expected, new TransformerEncoderLayer(8, 2, 16, 0.1, NormPosition.PRE, new Rng(1)).toString());
    }

    @Test
    void dropoutActsInTrainingModeOnly() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2, 16, 0.3, NormPosition.POST, new Rng(2));
        layer.to(DType.FLOAT64);
        Variable x = Variable.constant(Tensor.randn(new Rng(3), DType.FLOAT64, 2, 5, 8));
        Tensor train = layer.forward(x).value();
        layer.eval();
        Tensor eval1 = layer.forward(x).value();
        TransformerFixture.assertClose("eval", eval1, layer.forward(x).value(), 0);
        assertNotEquals(0.0, train.sub(eval1).abs().max().item());
    }
}
