package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * A Transformer decoder block, as {@code torch.nn.TransformerDecoderLayer(..., batch_first=True)}: self-attention
 * over the target, cross-attention from the target to the encoder's output ({@code memory}), then a two-layer
 * feed-forward network, each with dropout and a residual connection, normalised as {@code normPosition} says
 * (Xiong et al.'s equations extended to three sublayers, as PyTorch does):
 *
 * <pre>
 * POST:  x = norm1(x + sa(x));   x = norm2(x + ca(x, memory));   x = norm3(x + ff(x))
 * PRE:   x = x + sa(norm1(x));   x = x + ca(norm2(x), memory);   x = x + ff(norm3(x))
 * </pre>
 *
 * with {@code sa} = self_attn then dropout1, {@code ca} = multihead_attn then dropout2 and {@code ff} =
 * linear1, activation, dropout, linear2, dropout3. Children and names are PyTorch's, so the state dicts line
 * up. Target [N, T, dModel], memory [N, S, dModel] (or both unbatched).
 */
public final class TransformerDecoderLayer extends Module {
    private final NormPosition normPosition;
    private final FeedForwardActivation activation;
    private final MultiHeadAttention selfAttn;
    private final MultiHeadAttention multiheadAttn;
    private final Linear linear1;
    private final Dropout dropout;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final LayerNorm norm3;
    private final Dropout dropout1;
    private final Dropout dropout2;
    private final Dropout dropout3;

    /** A block with ReLU and LayerNorm eps 1e-5. */
    public TransformerDecoderLayer(int dModel, int nHead, int dimFeedforward, double dropout,
                                   NormPosition normPosition, Rng rng) {
        this(dModel, nHead, dimFeedforward, dropout, FeedForwardActivation.RELU, 1e-5, normPosition, rng);
    }

    /**
     * @param dModel         model width
     * @param nHead          attention heads (dividing dModel)
     * @param dimFeedforward hidden width of the feed-forward network
     * @param dropout        dropout probability after each sublayer, inside the feed-forward network and on the
     *                       attention weights
     * @param activation     the feed-forward nonlinearity
     * @param layerNormEps   eps of the LayerNorms
     * @param normPosition   PRE or POST normalisation
     * @param rng            draws the initial weights, and is kept for dropout
     */
    public TransformerDecoderLayer(int dModel, int nHead, int dimFeedforward, double dropout,
                                   FeedForwardActivation activation, double layerNormEps, NormPosition normPosition,
                                   Rng rng) {
        this.normPosition = java.util.Objects.requireNonNull(normPosition, "normPosition");
        this.activation = java.util.Objects.requireNonNull(activation, "activation");
        this.selfAttn = registerModule("self_attn", new MultiHeadAttention(dModel, nHead, dropout, true, rng));
        this.multiheadAttn = registerModule("multihead_attn",
                new MultiHeadAttention(dModel, nHead, dropout, true, rng));
        this.linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward, rng));
        this.dropout = registerModule("dropout", new Dropout(dropout, rng));
        this.linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel, rng));
        int[] shape = {dModel};
        this.norm1 = registerModule("norm1", new LayerNorm(shape, layerNormEps, true, true));
        this.norm2 = registerModule("norm2", new LayerNorm(shape, layerNormEps, true, true));
        this.norm3 = registerModule("norm3", new LayerNorm(shape, layerNormEps, true, true));
        this.dropout1 = registerModule("dropout1", new Dropout(dropout, rng));
        this.dropout2 = registerModule("dropout2", new Dropout(dropout, rng));
        this.dropout3 = registerModule("dropout3", new Dropout(dropout, rng));
    }

    /** Where this block normalises. */
    public NormPosition normPosition() {
        return normPosition;
    }

    /** The self-attention over the target. */
    public MultiHeadAttention selfAttn() {
        return selfAttn;
    }

    /** The cross-attention from the target to the memory. */
    public MultiHeadAttention multiheadAttn() {
        return multiheadAttn;
    }

    /** The block without masks. */
    public Variable forward(Variable tgt, Variable memory) {
        return forward(tgt, memory, null, null, null, null, false, false);
    }

    /**
     * The block, with PyTorch's arguments in PyTorch's order. Masks are BOOL and true where attention is not
     * allowed (attention masks) or at padding (key padding masks); each may be null.
     *
     * @param tgt                  [N, T, dModel] or [T, dModel]
     * @param memory               [N, S, dModel] or [S, dModel]
     * @param tgtMask              [T, T] or [N * nHead, T, T]
     * @param memoryMask           [T, S] or [N * nHead, T, S]
     * @param tgtKeyPaddingMask    [N, T]
     * @param memoryKeyPaddingMask [N, S]
     * @param tgtIsCausal          forbid each target position to attend to later target positions
     * @param memoryIsCausal       forbid target position i to attend to memory positions j > i
     */
    public Variable forward(Variable tgt, Variable memory, @Nullable Tensor tgtMask, @Nullable Tensor memoryMask,
                            @Nullable Tensor tgtKeyPaddingMask, @Nullable Tensor memoryKeyPaddingMask,
                            boolean tgtIsCausal, boolean memoryIsCausal) {
        Variable x = tgt;
        if (normPosition == NormPosition.PRE) {
            x = x.add(selfAttentionBlock(norm1.forward(x), tgtMask, tgtKeyPaddingMask, tgtIsCausal));
            x = x.add(crossAttentionBlock(norm2.forward(x), memory, memoryMask, memoryKeyPaddingMask, memoryIsCausal));
            return x.add(feedForwardBlock(norm3.forward(x)));
        }
        x = norm1.forward(x.add(selfAttentionBlock(x, tgtMask, tgtKeyPaddingMask, tgtIsCausal)));
        x = norm2.forward(x.add(crossAttentionBlock(x, memory, memoryMask, memoryKeyPaddingMask, memoryIsCausal)));
        return norm3.forward(x.add(feedForwardBlock(x)));
    }

    private Variable selfAttentionBlock(Variable x, Tensor mask, Tensor keyPaddingMask, boolean isCausal) {
        return dropout1.forward(selfAttn.forward(x, x, x, keyPaddingMask, false, mask, true, isCausal).output());
    }

    private Variable crossAttentionBlock(Variable x, Variable memory, Tensor mask, Tensor keyPaddingMask,
                                         boolean isCausal) {
        return dropout2.forward(
                multiheadAttn.forward(x, memory, memory, keyPaddingMask, false, mask, true, isCausal).output());
    }

    private Variable feedForwardBlock(Variable x) {
        // ReLU is applied in place to linear1's product (one primitive); GELU follows it as usual
        Variable h = dropout.forward(activation == FeedForwardActivation.RELU
                ? x.linearRelu(linear1.weight(), linear1.bias()) : activation.apply(linear1.forward(x)));
        return dropout3.forward(linear2.forward(h));
    }
}
