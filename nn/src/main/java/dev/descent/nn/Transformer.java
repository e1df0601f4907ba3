package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.init.Init;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * The encoder-decoder Transformer, as {@code torch.nn.Transformer(..., batch_first=True)}: children
 * {@code encoder} ({@link TransformerEncoder}) and {@code decoder} ({@link TransformerDecoder}); source
 * [N, S, dModel] and target [N, T, dModel] in, [N, T, dModel] out. Embeddings and the output projection are
 * the caller's, as in PyTorch.
 *
 * <p>Differences from {@code nn.Transformer}, both deliberate: the stacks end with a LayerNorm only for PRE
 * (PyTorch adds one to both stacks whatever {@code norm_first} is; build the stacks yourself and use
 * {@link #Transformer(TransformerEncoder, TransformerDecoder)} to get that layout), and the blocks are
 * initialised independently rather than deep-copied. As in PyTorch, the convenience constructor then redraws
 * every parameter of two or more dimensions Xavier-uniform.
 */
public final class Transformer extends Module {
    private final TransformerEncoder encoder;
    private final TransformerDecoder decoder;

    /**
     * A Transformer with ReLU and LayerNorm eps 1e-5.
     *
     * @param dModel            model width
     * @param nHead             attention heads
     * @param numEncoderLayers  encoder blocks
     * @param numDecoderLayers  decoder blocks
     * @param dimFeedforward    feed-forward hidden width
     * @param dropout           dropout probability
     * @param normPosition      PRE or POST normalisation, for every block
     * @param rng               draws the initial weights, and is kept for dropout
     */
    public Transformer(int dModel, int nHead, int numEncoderLayers, int numDecoderLayers, int dimFeedforward,
                       double dropout, NormPosition normPosition, Rng rng) {
        this(new TransformerEncoder(numEncoderLayers, dModel, nHead, dimFeedforward, dropout, normPosition, rng),
                new TransformerDecoder(numDecoderLayers, dModel, nHead, dimFeedforward, dropout, normPosition, rng));
        for (Variable p : parameters()) {
            if (p.dim() > 1) {
                Init.xavierUniform_(p.value(), 1, rng);
            }
        }
    }

    /** A Transformer of the given stacks (PyTorch's {@code custom_encoder} and {@code custom_decoder}), as they are. */
    public Transformer(TransformerEncoder encoder, TransformerDecoder decoder) {
        this.encoder = registerModule("encoder", encoder);
        this.decoder = registerModule("decoder", decoder);
    }

    /** The encoder stack. */
    public TransformerEncoder encoder() {
        return encoder;
    }

    /** The decoder stack. */
    public TransformerDecoder decoder() {
        return decoder;
    }

    /** Source through the encoder, then target through the decoder, without masks. */
    public Variable forward(Variable src, Variable tgt) {
        return forward(src, tgt, null, null, null, null, null, null);
    }

    /**
     * The encoder-decoder with PyTorch's masks, in PyTorch's order. Masks are BOOL, true where attention is not
     * allowed (or at padding), and may be null; {@link #generateSquareSubsequentMask(int)} gives the usual
     * {@code tgtMask}.
     *
     * @param src                  [N, S, dModel]
     * @param tgt                  [N, T, dModel]
     * @param srcMask              [S, S] or [N * nHead, S, S]
     * @param tgtMask              [T, T] or [N * nHead, T, T]
     * @param memoryMask           [T, S] or [N * nHead, T, S]
     * @param srcKeyPaddingMask    [N, S]
     * @param tgtKeyPaddingMask    [N, T]
     * @param memoryKeyPaddingMask [N, S]
     * @return the decoder's output [N, T, dModel]
     */
    public Variable forward(Variable src, Variable tgt, @Nullable Tensor srcMask, @Nullable Tensor tgtMask,
                            @Nullable Tensor memoryMask, @Nullable Tensor srcKeyPaddingMask,
                            @Nullable Tensor tgtKeyPaddingMask, @Nullable Tensor memoryKeyPaddingMask) {
        if (src.dim() != tgt.dim() || (src.dim() == 3 && src.size(0) != tgt.size(0))) {
            throw new IllegalArgumentException("Transformer: source " + src.shape() + " and target " + tgt.shape()
                    + " must both be [N, *, dModel] with the same N, or both unbatched");
        }
        Variable memory = encoder.forward(src, srcMask, srcKeyPaddingMask, false);
        return decoder.forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, false,
                false);
    }

    /**
     * The causal mask of {@code size} positions: BOOL [size, size], true above the diagonal (where position i
     * would see j > i). PyTorch's method of the same name gives the float form, -inf above the diagonal.
     */
    public static Tensor generateSquareSubsequentMask(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("generateSquareSubsequentMask: size must be positive, got " + size);
        }
        return Tensor.arange(size).unsqueeze(0).gt(Tensor.arange(size).unsqueeze(1));
    }
}
