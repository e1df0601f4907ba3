package dev.descent.analysis.warmup;

import dev.descent.autograd.Variable;
import dev.descent.nn.Embedding;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.NormPosition;
import dev.descent.nn.PositionalEncoding;
import dev.descent.nn.Transformer;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;

/**
 * An encoder-decoder Transformer for token-to-token tasks (Vaswani et al.'s layout, Xiong et al.'s 6-6 model in
 * miniature): source tokens [N, S] and target tokens [N, T] in, logits [N, T, vocabulary] out, where position t
 * predicts target token t from the source and target tokens 0..t−1.
 *
 * <pre>
 * memory = encoder(srcEmbedding(src) + P)                         children src_embedding, transformer
 * h      = decoder(tgtEmbedding([BOS, tgt_0..tgt_{T−2}]) + P, memory, causal mask)
 * logits = head(h)                                                child head, Linear(dModel, vocabulary)
 * </pre>
 *
 * <p>P is the fixed sinusoidal table; the decoder's input is the target shifted right behind a start token
 * {@code BOS = vocabulary} (so the decoder's embedding has {@code vocabulary + 1} rows). The body is
 * {@link Transformer}: PRE stacks end with a LayerNorm, POST stacks do not, and every matrix of the body is drawn
 * Xavier-uniform as PyTorch's {@code nn.Transformer} does. Parameter names: {@code transformer.encoder.layers.l.*},
 * {@code transformer.decoder.layers.l.*}.
 */
public final class Seq2SeqTransformer extends Module {
    private final int vocabulary;
    private final Embedding srcEmbedding;
    private final Embedding tgtEmbedding;
    private final PositionalEncoding positions;
    private final Transformer transformer;
    private final Linear head;

    /**
     * @param vocabulary distinct tokens (ids 0 .. vocabulary−1)
     * @param maxLen     longest source or target sequence
     * @param size       width, heads, blocks per stack and feed-forward width ({@code seqLen} is not used here)
     * @param norm       PRE or POST blocks in both stacks
     * @param rng        draws the initial weights
     */
    public Seq2SeqTransformer(int vocabulary, int maxLen, ModelSize size, NormPosition norm, Rng rng) {
        if (vocabulary < 1 || maxLen < 1) {
            throw new IllegalArgumentException("Seq2SeqTransformer: vocabulary and maxLen must be positive, got "
                    + vocabulary + ", " + maxLen);
        }
        this.vocabulary = vocabulary;
        int d = size.dModel();
        this.srcEmbedding = registerModule("src_embedding", new Embedding(vocabulary, d, rng));
        this.tgtEmbedding = registerModule("tgt_embedding", new Embedding(vocabulary + 1, d, rng));
        this.positions = registerModule("positions",
                PositionalEncoding.create(PositionalEncoding.Kind.SINUSOIDAL, maxLen, d, rng));
        this.transformer = registerModule("transformer", new Transformer(d, size.heads(), size.layers(),
                size.layers(), size.feedforward(), 0.0, norm, rng));
        this.head = registerModule("head", new Linear(d, vocabulary, rng));
    }

    /** The token ids this model reads and predicts: 0 .. vocabulary−1 (the start token is {@code vocabulary}). */
    public int vocabulary() {
        return vocabulary;
    }

    /**
     * Logits of every target position, teacher-forced.
     *
     * @param src INT64 [N, S] source tokens
     * @param tgt INT64 [N, T] target tokens (only 0..T−2 are read, shifted right behind the start token)
     * @return [N, T, vocabulary]; position t depends on the source and on {@code tgt[:, 0..t−1]} only
     */
    public Variable forward(Tensor src, Tensor tgt) {
        if (src.dtype() != DType.INT64 || tgt.dtype() != DType.INT64 || src.dim() != 2 || tgt.dim() != 2
                || src.size(0) != tgt.size(0)) {
            throw new IllegalArgumentException("Seq2SeqTransformer: source and target must be INT64 [N, S] and [N, T]"
                    + " with the same N, got " + src.dtype() + " " + src.shape() + " and " + tgt.dtype() + " "
                    + tgt.shape());
        }
        int n = tgt.size(0);
        int t = tgt.size(1);
        Tensor start = Tensor.full(DType.INT64, vocabulary, n, 1);
        Tensor shifted = t == 1 ? start : Tensor.cat(1, start, tgt.narrow(1, 0, t - 1));
        Variable memoryIn = positions.forward(srcEmbedding.forward(src));
        Variable decoderIn = positions.forward(tgtEmbedding.forward(shifted));
        Variable h = transformer.forward(memoryIn, decoderIn, null, Transformer.generateSquareSubsequentMask(t),
                null, null, null, null);
        return head.forward(h);
    }
}
