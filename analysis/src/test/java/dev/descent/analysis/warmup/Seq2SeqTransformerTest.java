package dev.descent.analysis.warmup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.descent.nn.NormPosition;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The encoder-decoder's shapes and its teacher forcing: target position t sees target tokens before t only. */
class Seq2SeqTransformerTest {
    private static final ModelSize SIZE = new ModelSize(16, 2, 2, 32, 6);

    private static float[] logitsAt(Tensor logits, int position) {
        return logits.narrow(1, position, 1).contiguous().toFloatArray();
    }

    @Test
    void positionTDependsOnEarlierTargetTokensOnly() {
        for (NormPosition norm : NormPosition.values()) {
            Seq2SeqTransformer model = new Seq2SeqTransformer(7, 6, SIZE, norm, new Rng(4));
            Tensor src = Tensor.of(new long[] {1, 2, 3, 4, 5, 6, 0, 0, 1, 1, 2, 2}, 2, 6);
            Tensor tgt = Tensor.of(new long[] {6, 5, 4, 3, 2, 1, 2, 2, 1, 1, 0, 0}, 2, 6);
            Tensor changed = Tensor.of(new long[] {6, 5, 4, 0, 2, 1, 2, 2, 1, 3, 0, 0}, 2, 6);
            Tensor a = model.forward(src, tgt).value();
            Tensor b = model.forward(src, changed).value();
            assertEquals(Arrays.asList(2, 6, 7), Arrays.stream(a.shape().toArray()).boxed().toList());
            for (int t = 0; t <= 3; t++) {
                assertArrayEquals(logitsAt(a, t), logitsAt(b, t), norm + ": position " + t + " saw token 3");
            }
            for (int t = 4; t < 6; t++) {
                assertFalse(Arrays.equals(logitsAt(a, t), logitsAt(b, t)), norm + ": position " + t
                        + " should see token 3");
            }
        }
    }

    @Test
    void preAndPostOfOneSeedStartFromTheSameMatrices() {
        Seq2SeqTransformer pre = new Seq2SeqTransformer(5, 6, SIZE, NormPosition.PRE, new Rng(9));
        Seq2SeqTransformer post = new Seq2SeqTransformer(5, 6, SIZE, NormPosition.POST, new Rng(9));
        String name = "transformer.decoder.layers.1.linear2.weight";
        assertArrayEquals(pre.namedParameters().get(name).value().toFloatArray(),
                post.namedParameters().get(name).value().toFloatArray());
        assertFalse(post.namedParameters().containsKey("transformer.encoder.norm.weight"));
        assertEquals(true, pre.namedParameters().containsKey("transformer.encoder.norm.weight"));
    }

    @Test
    void badTokensAreRefused() {
        Seq2SeqTransformer model = new Seq2SeqTransformer(5, 6, SIZE, NormPosition.PRE, new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.forward(Tensor.zeros(2, 6), Tensor.zeros(2, 6)));
        assertEquals(true, e.getMessage().contains("INT64"), e.getMessage());
    }
}
