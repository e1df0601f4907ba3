package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Encoder and decoder stacks and the encoder-decoder {@link Transformer}, against {@code nn.TransformerEncoder}
 * and {@code nn.Transformer} ({@code fixtures/transformer/stacks.txt}).
 */
class TransformerStackTest {
    private static final TransformerFixture FX = TransformerFixture.load("stacks.txt");

    @Test
    void twoLayerPreLnEncoderWithFinalNormMatchesPyTorch() {
        TransformerEncoder enc = FX.loadInto("encoder", new TransformerEncoder(2, 8, 2, 16, 0.0, NormPosition.PRE,
                new Rng(0)));
        Variable x = FX.input("encoder", "x");
        Variable out = enc.forward(x, null, FX.mask("encoder", "kpm"), true);
        FX.checkOutputsAndBackward("encoder", Map.of("output", out));
        FX.checkInputGrad("encoder", "x", x);
        FX.checkParamGrads("encoder", enc);
    }

    @Test
    void preLnTransformerMatchesPyTorchNormFirst() {
        Transformer tf = FX.loadInto("transformer", new Transformer(8, 2, 2, 1, 16, 0.0, NormPosition.PRE,
                new Rng(0)));
        Variable src = FX.input("transformer", "src");
        Variable tgt = FX.input("transformer", "tgt");
        Tensor srcKpm = FX.mask("transformer", "src_kpm");
        Variable out = tf.forward(src, tgt, null, Transformer.generateSquareSubsequentMask(4), null, srcKpm, null,
                srcKpm);
        FX.checkOutputsAndBackward("transformer", Map.of("output", out));
        FX.checkInputGrad("transformer", "src", src);
        FX.checkInputGrad("transformer", "tgt", tgt);
        FX.checkParamGrads("transformer", tf);
        assertEquals(TransformerFixture.load("models.txt").get("transformer.count").item(), tf.parameterCount());
    }

    @Test
    void finalNormOnlyForPreLn() {
        Rng rng = new Rng(1);
        assertNotNull(new TransformerEncoder(2, 8, 2, 16, 0.0, NormPosition.PRE, rng).norm());
        assertNull(new TransformerEncoder(2, 8, 2, 16, 0.0, NormPosition.POST, rng).norm());
        assertNotNull(new TransformerDecoder(2, 8, 2, 16, 0.0, NormPosition.PRE, rng).norm());
        assertNull(new TransformerDecoder(2, 8, 2, 16, 0.0, NormPosition.POST, rng).norm());
        Transformer post = new Transformer(8, 2, 1, 1, 16, 0.0, NormPosition.POST, rng);
        assertTrue(post.stateDict().keySet().stream().noneMatch(k -> k.contains(".norm.")), post.stateDict().keySet()
                .toString());
        // PyTorch's layout for Post-LN (final norms on both stacks) through the custom-stack constructor
        Transformer torchLayout = new Transformer(
                new TransformerEncoder(() -> new TransformerEncoderLayer(8, 2, 16, 0.0, NormPosition.POST, rng), 1,
                        new LayerNorm(8)),
                new TransformerDecoder(() -> new TransformerDecoderLayer(8, 2, 16, 0.0, NormPosition.POST, rng), 1,
                        new LayerNorm(8)));
        assertTrue(torchLayout.stateDict().containsKey("encoder.norm.weight"));
        assertTrue(torchLayout.stateDict().containsKey("decoder.norm.bias"));
    }

    @Test
    void layersAreInitialisedIndependently() {
        TransformerEncoder enc = new TransformerEncoder(2, 8, 2, 16, 0.0, NormPosition.PRE, new Rng(2));
        Tensor w0 = enc.layers().get(0).selfAttn().inProjWeight().value();
        Tensor w1 = enc.layers().get(1).selfAttn().inProjWeight().value();
        assertTrue(w0.sub(w1).abs().max().item() > 0, "each block draws its own weights");
    }

    @Test
    void decoderStackForwardsMemoryToEveryBlockAndCausalFlagEqualsMask() {
        TransformerDecoder dec = new TransformerDecoder(2, 8, 2, 16, 0.0, NormPosition.PRE, new Rng(3));
        dec.to(DType.FLOAT64);
        Rng rng = new Rng(4);
        Variable tgt = Variable.constant(Tensor.randn(rng, DType.FLOAT64, 2, 4, 8));
        Variable memory = Variable.constant(Tensor.randn(rng, DType.FLOAT64, 2, 6, 8));
        Tensor withFlag = dec.forward(tgt, memory, null, null, null, null, true, false).value();
        Tensor withMask = dec.forward(tgt, memory, Transformer.generateSquareSubsequentMask(4), null, null, null, false,
                false).value();
        TransformerFixture.assertClose("causal", withMask, withFlag, 0);
        assertEquals(java.util.List.of(2, 4, 8), java.util.Arrays.stream(withFlag.shape().toArray()).boxed().toList());
        Tensor other = dec.forward(tgt, Variable.constant(memory.value().mul(2)), null, null, null, null, true, false)
                .value();
        assertTrue(other.sub(withFlag).abs().max().item() > 1e-6, "the output depends on the memory");
    }

    @Test
    void subsequentMaskIsTrueAboveTheDiagonal() {
        Tensor m = Transformer.generateSquareSubsequentMask(3);
        assertEquals(DType.BOOL, m.dtype());
        boolean[] expected = {false, true, true, false, false, true, false, false, false};
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(m.toBooleanArray()));
        assertThrows(IllegalArgumentException.class, () -> new TransformerEncoder(0, 8, 2, 16, 0, NormPosition.PRE,
                new Rng(0)));
    }
}
