package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * A Transformer encoder block, as {@code torch.nn.TransformerEncoderLayer(..., batch_first=True)}: self-attention
 * then a two-layer feed-forward network, each with dropout and a residual connection, normalised as
 * {@code normPosition} says (Xiong et al.'s equations, see {@link NormPosition}). With {@code sa(x) =
 * dropout1(self_attn(x, x, x))} and {@code ff(x) = dropout2(linear2(dropout(act(linear1(x)))))}:
 *
 * <pre>
 * POST:  x = norm1(x + sa(x));   x = norm2(x + ff(x))
 * PRE:   x = x + sa(norm1(x));   x = x + ff(norm2(x))
 * </pre>
 *
 * <p>Children and their names are PyTorch's ({@code self_attn}, {@code linear1}, {@code dropout},
 * {@code linear2}, {@code norm1}, {@code norm2}, {@code dropout1}, {@code dropout2}), so the state dicts
 * line up. Input and output are [N, T, dModel] (or unbatched [T, dModel]). With causal self-attention this
 * is also the block of a decoder-only language model ({@link TransformerLM}).
 */
public final class TransformerEncoderLayer extends Layer {
    private final NormPosition normPosition;
    private final FeedForwardActivation activation;
    private final MultiHeadAttention selfAttn;
    private final Linear linear1;
    private final Dropout dropout;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final Dropout dropout1;
    private final Dropout dropout2;

    /** A block with ReLU and LayerNorm eps 1e-5. */
    public TransformerEncoderLayer(int dModel, int nHead, int dimFeedforward, double dropout,
                                   NormPosition normPosition, Rng rng) {
        this(dModel, nHead, dimFeedforward, dropout, FeedForwardActivation.RELU, 1e-5, normPosition, rng);
    }

    /**
     * @param dModel         model width
     * @param nHead          attention heads (dividing dModel)
     * @param dimFeedforward hidden width of the feed-forward network
     * @param dropout        dropout probability after attention, inside and after the feed-forward network,
     *                       and on the attention weights
     * @param activation     the feed-forward nonlinearity
     * @param layerNormEps   eps of the LayerNorms
     * @param normPosition   PRE or POST normalisation
     * @param rng            draws the initial weights, and is kept for dropout
     */
    public TransformerEncoderLayer(int dModel, int nHead, int dimFeedforward, double dropout,
                                   FeedForwardActivation activation, double layerNormEps, NormPosition normPosition,
                                   Rng rng) {
        this.normPosition = java.util.Objects.requireNonNull(normPosition, "normPosition");
        this.activation = java.util.Objects.requireNonNull(activation, "activation");
        this.selfAttn = registerModule("self_attn", new MultiHeadAttention(dModel, nHead, dropout, true, rng));
        this.linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward, rng));
        this.dropout = registerModule("dropout", new Dropout(dropout, rng));
        this.linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel, rng));
        this.norm1 = registerModule("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true, true));
        this.norm2 = registerModule("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true, true));
        this.dropout1 = registerModule("dropout1", new Dropout(dropout, rng));
        this.dropout2 = registerModule("dropout2", new Dropout(dropout, rng));
    }

    /** Where this block normalises. */
    public NormPosition normPosition() {
        return normPosition;
    }

    /** The self-attention. */
    public MultiHeadAttention selfAttn() {
        return selfAttn;
    }

    /** The block without masks. */
    @Override
    public Variable forward(Variable src) {
        return forward(src, null, null, false);
    }

    /**
     * The block, with PyTorch's arguments.
     *
     * @param src               [N, T, dModel] or [T, dModel]
     * @param srcMask           BOOL [T, T] or [N * nHead, T, T], true where attention is not allowed; or null
     * @param srcKeyPaddingMask BOOL [N, T], true at padding; or null
     * @param isCausal          forbid each position to attend to later ones
     */
    public Variable forward(Variable src, @Nullable Tensor srcMask, @Nullable Tensor srcKeyPaddingMask,
                            boolean isCausal) {
        Variable x = src;
        if (normPosition == NormPosition.PRE) {
            x = x.add(selfAttentionBlock(norm1.forward(x), srcMask, srcKeyPaddingMask, isCausal));
            return x.add(feedForwardBlock(norm2.forward(x)));
        }
        x = norm1.forward(x.add(selfAttentionBlock(x, srcMask, srcKeyPaddingMask, isCausal)));
        return norm2.forward(x.add(feedForwardBlock(x)));
    }

    private Variable selfAttentionBlock(Variable x, Tensor mask, Tensor keyPaddingMask, boolean isCausal) {
        Variable a = selfAttn.forward(x, x, x, keyPaddingMask, false, mask, true, isCausal).output();
        return dropout1.forward(a);
    }

    private Variable feedForwardBlock(Variable x) {
        // ReLU is applied in place to linear1's product (one primitive); GELU follows it as usual
        Variable h = dropout.forward(activation == FeedForwardActivation.RELU
                ? x.linearRelu(linear1.weight(), linear1.bias()) : activation.apply(linear1.forward(x)));
        return dropout2.forward(linear2.forward(h));
    }
}
