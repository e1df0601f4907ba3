package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.nn.init.Init;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * Multi-head attention, as {@code torch.nn.MultiheadAttention(embed_dim, num_heads, dropout, bias,
 * batch_first=True)}: query [N, L, E], key and value [N, S, E] (or unbatched [L, E] and [S, E]) are projected,
 * split into {@code numHeads} heads of E / numHeads, attended ({@link F#scaledDotProductAttention}) and
 * projected back.
 *
 * <p>Parameters, named and initialised as PyTorch's: {@code in_proj_weight} [3E, E] (the query, key and
 * value projections stacked, Xavier-uniform over the whole matrix), {@code in_proj_bias} [3E] (zeros),
 * {@code out_proj} a {@link Linear}(E, E) with PyTorch's default weight and a zero bias. Without
 * {@code bias}, neither projection has one. Keys and values of other sizes than E ({@code kdim},
 * {@code vdim}) and {@code add_bias_kv} / {@code add_zero_attn} are not supported.
 *
 * <p>Masks are BOOL and true where attention is NOT allowed, as PyTorch's boolean masks:
 * {@code attnMask} [L, S] (shared by the batch) or [N * numHeads, L, S] (batch-major, head-minor, as
 * PyTorch), and {@code keyPaddingMask} [N, S] (true at padded keys). A query whose every key is masked gets
 * NaN weights and output, as in PyTorch 1.13 (see {@link F#scaledDotProductAttention}).
 */
public final class MultiHeadAttention extends Module {
    private final int embedDim;
    private final int numHeads;
    private final int headDim;
    private final double dropout;
    private final Variable inProjWeight;
    private final Variable inProjBias;
    private final Linear outProj;
    private final Rng rng;

    /** Attention without dropout, with biases. */
    public MultiHeadAttention(int embedDim, int numHeads, Rng rng) {
        this(embedDim, numHeads, 0.0, true, rng);
    }

    /**
     * @param embedDim model width E, a multiple of {@code numHeads}
     * @param numHeads number of heads
     * @param dropout  probability of dropping an attention weight in training mode
     * @param bias     whether the input and output projections have biases
     * @param rng      draws the initial weights, and is kept for the dropout masks
     */
    public MultiHeadAttention(int embedDim, int numHeads, double dropout, boolean bias, Rng rng) {
        if (embedDim < 1 || numHeads < 1 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiHeadAttention: embedDim " + embedDim
                    + " must be a positive multiple of numHeads " + numHeads);
        }
        if (dropout < 0 || dropout > 1) {
            throw new IllegalArgumentException("MultiHeadAttention: dropout " + dropout + " is not in [0, 1]");
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.headDim = embedDim / numHeads;
        this.dropout = dropout;
        this.rng = rng;
        this.inProjWeight = registerParameter("in_proj_weight",
                Init.xavierUniform_(Tensor.zeros(3 * embedDim, embedDim), 1, rng));
        this.inProjBias = bias ? registerParameter("in_proj_bias", Tensor.zeros(3 * embedDim)) : null;
        this.outProj = registerModule("out_proj", new Linear(embedDim, embedDim, bias, rng));
        if (bias) {
            Init.zeros_(outProj.bias().value());
        }
    }

    /** The model width E. */
    public int embedDim() {
        return embedDim;
    }

    /** The number of heads. */
    public int numHeads() {
        return numHeads;
    }

    /** The stacked query, key and value projection weights [3E, E]. */
    public Variable inProjWeight() {
        return inProjWeight;
    }

    /** The stacked projection biases [3E], or null without bias. */
    public @Nullable Variable inProjBias() {
        return inProjBias;
    }

    /** The output projection. */
    public Linear outProj() {
        return outProj;
    }

    /**
     * Attention without masks, returning the output [N, L, E] and the weights averaged over heads [N, L, S]
     * (PyTorch's defaults {@code need_weights=True, average_attn_weights=True}).
     */
    public F.AttentionResult forward(Variable query, Variable key, Variable value) {
        return forward(query, key, value, null, true, null, true, false);
    }

    /**
     * Attention with PyTorch's arguments, in PyTorch's order.
     *
     * @param query              [N, L, E] or unbatched [L, E]
     * @param key                [N, S, E] or [S, E]
     * @param value              [N, S, E] or [S, E]
     * @param keyPaddingMask     BOOL [N, S] (or [S] unbatched), true at keys to ignore; or null
     * @param needWeights        whether to return the attention weights (otherwise the result's weights are null)
     * @param attnMask           BOOL [L, S] or [N * numHeads, L, S], true where attention is not allowed; or null
     * @param averageAttnWeights weights averaged over heads, [N, L, S]; otherwise per head, [N, numHeads, L, S]
     * @param isCausal           also forbid query i to see keys j > i; unlike PyTorch 2's hint of the same name,
     *                           this builds the causal mask itself (and combines it with {@code attnMask})
     * @return the output [N, L, E] (or [L, E]) and, if asked for, the weights (post-dropout, as PyTorch 1.13)
     */
    public F.AttentionResult forward(Variable query, Variable key, Variable value, @Nullable Tensor keyPaddingMask,
                                     boolean needWeights, @Nullable Tensor attnMask, boolean averageAttnWeights,
                                     boolean isCausal) {
        boolean batched = query.dim() == 3;
        boolean sameKeyValue = key == value; // one input projected twice: a single product will do
        boolean selfAttention = sameKeyValue && query == key;
        if (!batched) {
            checkRank(query, 2, "query");
            checkRank(key, 2, "key");
            checkRank(value, 2, "value");
            query = query.unsqueeze(0);
            key = key.unsqueeze(0);
            value = value.unsqueeze(0);
            if (keyPaddingMask != null) {
                checkMask(keyPaddingMask, "keyPaddingMask");
                if (keyPaddingMask.dim() != 1) {
                    throw new IllegalArgumentException("MultiHeadAttention: unbatched input needs a keyPaddingMask"
                            + " of shape [S], got " + keyPaddingMask.shape());
                }
                keyPaddingMask = keyPaddingMask.unsqueeze(0);
            }
        }
        checkRank(key, 3, "key");
        checkRank(value, 3, "value");
        int n = query.size(0);
        int l = query.size(1);
        int s = key.size(1);
        if (query.size(2) != embedDim || key.size(2) != embedDim || value.size(2) != embedDim) {
            throw new IllegalArgumentException("MultiHeadAttention: query " + query.shape() + ", key " + key.shape()
                    + " and value " + value.shape() + " must all end in embedDim " + embedDim);
        }
        if (key.size(0) != n || value.size(0) != n || value.size(1) != s) {
            throw new IllegalArgumentException("MultiHeadAttention: query " + query.shape() + ", key " + key.shape()
                    + " and value " + value.shape() + " disagree on the batch size or the number of keys");
        }

        Variable q;
        Variable k;
        Variable v;
        if (selfAttention) {
            // self-attention: one product with the whole [3E, E] matrix, as PyTorch does
            Variable qkv = project(query, 0, 3).reshape(n, l, 3, numHeads, headDim);
            q = part(qkv, 0, n, l);
            k = part(qkv, 1, n, s);
            v = part(qkv, 2, n, s);
        } else if (sameKeyValue) {
            // attention to a memory: keys and values from one product
            q = heads(project(query, 0, 1), n, l);
            Variable kv = project(key, 1, 2).reshape(n, s, 2, numHeads, headDim);
            k = part(kv, 0, n, s);
            v = part(kv, 1, n, s);
        } else {
            q = heads(project(query, 0, 1), n, l);
            k = heads(project(key, 1, 1), n, s);
            v = heads(project(value, 2, 1), n, s);
        }
        Tensor mask = combinedMask(attnMask, keyPaddingMask, n, l, s);
        F.AttentionResult r = F.scaledDotProductAttention(q, k, v, mask, isCausal, isTraining() ? dropout : 0, rng);

        // [N, H, L, hd] -> [N, L, H * hd]
        Variable merged = r.output().transpose(1, 2).reshape(n, l, embedDim);
        Variable out = outProj.forward(merged);
        Variable weights = null;
        if (needWeights) {
            weights = averageAttnWeights ? r.weights().sum(1).div(numHeads) : r.weights();
        }
        if (!batched) {
            out = out.squeeze(0);
            weights = weights == null ? null : weights.squeeze(0);
        }
        return new F.AttentionResult(out, weights);
    }

    /**
     * Input {@code x} [N, T, E] through {@code count} consecutive projections starting at {@code first} (0 query,
     * 1 key, 2 value): [N, T, count E].
     */
    private Variable project(Variable x, int first, int count) {
        if (first == 0 && count == 3) {
            return F.linear(x, inProjWeight, inProjBias);
        }
        Variable w = inProjWeight.narrow(0, first * embedDim, count * embedDim);
        Variable b = inProjBias == null ? null : inProjBias.narrow(0, first * embedDim, count * embedDim);
        return F.linear(x, w, b);
    }

    /**
     * Part i of a stacked projection [N, T, parts, H, hd] as [N, H, T, hd], a view. Narrowing the parts axis
     * (rather than the last axis of [N, T, parts E]) lets the gradient of each head view reach its slice of the
     * projection's gradient in one strided copy, without a reshape copying it first.
     */
    private Variable part(Variable stacked, int i, int n, int t) {
        return stacked.narrow(2, i, 1).reshape(n, t, numHeads, headDim).transpose(1, 2);
    }

    /** [N, T, E] -> [N, H, T, hd]. */
    private Variable heads(Variable x, int n, int t) {
        return x.reshape(n, t, numHeads, headDim).transpose(1, 2);
    }

    /** The attention mask and key padding mask as one BOOL mask broadcastable to [N, H, L, S], or null. */
    private Tensor combinedMask(Tensor attnMask, Tensor keyPaddingMask, int n, int l, int s) {
        Tensor mask = null;
        if (attnMask != null) {
            checkMask(attnMask, "attnMask");
            if (attnMask.dim() == 2 && attnMask.size(0) == l && attnMask.size(1) == s) {
                mask = attnMask;
            } else if (attnMask.dim() == 3 && attnMask.size(0) == n * numHeads && attnMask.size(1) == l
                    && attnMask.size(2) == s) {
                mask = attnMask.reshape(n, numHeads, l, s);
            } else {
                throw new IllegalArgumentException("MultiHeadAttention: attnMask of shape " + attnMask.shape()
                        + " should be [" + l + ", " + s + "] or [" + n * numHeads + ", " + l + ", " + s + "]");
            }
        }
        if (keyPaddingMask != null) {
            checkMask(keyPaddingMask, "keyPaddingMask");
            if (keyPaddingMask.dim() != 2 || keyPaddingMask.size(0) != n || keyPaddingMask.size(1) != s) {
                throw new IllegalArgumentException("MultiHeadAttention: keyPaddingMask of shape "
                        + keyPaddingMask.shape() + " should be [" + n + ", " + s + "]");
            }
            Tensor padding = keyPaddingMask.reshape(n, 1, 1, s);
            mask = mask == null ? padding : mask.logicalOr(padding);
        }
        return mask;
    }

    private static void checkMask(Tensor mask, String name) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("MultiHeadAttention: " + name + " must be BOOL (true = masked), got "
                    + mask.dtype() + " of shape " + mask.shape());
        }
    }

    private static void checkRank(Variable x, int rank, String name) {
        if (x.dim() != rank) {
            throw new IllegalArgumentException("MultiHeadAttention: " + name + " of shape " + x.shape()
                    + " should have " + rank + " dimensions (" + (rank == 3 ? "[N, T, E]" : "[T, E]")
                    + "; query, key and value must be all batched or all unbatched)");
        }
    }
}
