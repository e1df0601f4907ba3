package dev.descent.nn.functional;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;

/**
 * Scaled dot-product attention, {@code softmax(q k^T / sqrt(d) + M) v}, where M is 0 where attention is
 * allowed and -inf where a boolean mask (or the causal rule) forbids it.
 *
 * <p><b>Fully masked rows.</b> A query whose every key is masked has a row of -inf scores; its softmax is
 * 0/0, so its weights and its output row are NaN, exactly as PyTorch 1.13's {@code nn.MultiheadAttention}
 * and {@code F._scaled_dot_product_attention} give (the fixture {@code fixtures/transformer/sdpa.txt} records
 * it). The NaN is kept rather than replaced, so that the mistake shows instead of being averaged away. It
 * poisons training even when the NaN outputs are discarded afterwards: the gradients of v, q and k are NaN,
 * as in PyTorch (the mask enters as -inf added to the scores, so the NaN softmax gradient of that row passes
 * back to q and k). Leave every query at least one visible key, e.g. let padded queries see themselves.
 */
final class Attention {
    private Attention() {
    }

    static F.AttentionResult scaledDotProductAttention(Variable q, Variable k, Variable v, Tensor mask, boolean causal,
                                                       double dropout, Rng rng) {
        checkShapes(q, k, v);
        if (dropout < 0 || dropout > 1) {
            throw new IllegalArgumentException("scaledDotProductAttention: dropout probability " + dropout
                    + " is not in [0, 1]");
        }
        if (dropout > 0 && rng == null) {
            throw new IllegalArgumentException("scaledDotProductAttention: dropout " + dropout + " needs an Rng");
        }
        int d = q.size(-1);
        int lq = q.size(-2);
        int lk = k.size(-2);
        Variable products = q.matmul(k.transpose(-2, -1));
        Variable weights = causal && mask == null ? products.causalSoftmax(1 / Math.sqrt(d))
                : maskedSoftmax(products.mul(1 / Math.sqrt(d)), mask, causal, lq, lk);
        if (dropout > 0) {
            weights = F.dropout(weights, dropout, true, rng);
        }
        return new F.AttentionResult(weights.matmul(v), weights);
    }

    /**
     * softmax(scores + M) over the last axis, M the -inf penalty of the user's mask and the causal rule (or
     * none). The causal rule alone goes to the fused {@link Variable#causalSoftmax}, which gives the same
     * weights in one pass that skips the masked half.
     */
    private static Variable maskedSoftmax(Variable scores, Tensor mask, boolean causal, int lq, int lk) {
        Tensor forbidden = combinedMask(mask, causal, lq, lk, scores);
        if (forbidden != null) {
            // -inf added at the forbidden positions: a broadcast addition of a mask of the mask's own (small)
            // shape, whose backward passes the gradient through untouched (softmax already gives 0 there),
            // where filling the scores takes a masked select forward and another backward
            Tensor penalty = Tensor.zeros(scores.dtype(), forbidden.shape().toArray()).to(scores.value().device())
                    .maskedFill(forbidden, Double.NEGATIVE_INFINITY);
            scores = scores.add(Variable.constant(penalty));
        }
        return scores.softmax(-1);
    }

    /** The BOOL mask of forbidden positions (the user's mask or the causal one or both), or null for none. */
    private static Tensor combinedMask(Tensor mask, boolean causal, int lq, int lk, Variable scores) {
        Tensor forbidden = null;
        if (mask != null) {
            if (mask.dtype() != DType.BOOL) {
                throw new IllegalArgumentException("scaledDotProductAttention: the mask must be BOOL (true where"
                        + " attention is not allowed), got " + mask.dtype() + " of shape " + mask.shape());
            }
            Shape broadcast;
            try {
                broadcast = Shape.broadcast("scaledDotProductAttention", mask.shape(), scores.shape());
            } catch (IllegalArgumentException e) {
                broadcast = null;
            }
            if (!scores.shape().equals(broadcast)) {
                throw new IllegalArgumentException("scaledDotProductAttention: mask of shape " + mask.shape()
                        + " does not broadcast to the attention scores' shape " + scores.shape()
                        + " ([..., Lq, Lk])");
            }
            forbidden = mask.to(scores.value().device());
        }
        if (causal) {
            // query i may see keys 0..i (aligned at the top left, as PyTorch's is_causal): forbid j > i
            Tensor above = Tensor.arange(lk).unsqueeze(0).gt(Tensor.arange(lq).unsqueeze(1))
                    .to(scores.value().device());
            forbidden = forbidden == null ? above : forbidden.logicalOr(above);
        }
        return forbidden;
    }

    private static void checkShapes(Variable q, Variable k, Variable v) {
        if (q.dim() < 2 || k.dim() < 2 || v.dim() < 2) {
            throw new IllegalArgumentException("scaledDotProductAttention: q, k and v need at least 2 dimensions"
                    + " ([..., L, d]), got " + q.shape() + ", " + k.shape() + ", " + v.shape());
        }
        if (q.size(-1) != k.size(-1)) {
            throw new IllegalArgumentException("scaledDotProductAttention: q " + q.shape() + " and k " + k.shape()
                    + " must have the same last dimension d");
        }
        if (k.size(-2) != v.size(-2)) {
            throw new IllegalArgumentException("scaledDotProductAttention: k " + k.shape() + " and v " + v.shape()
                    + " must have the same number of keys (dimension -2)");
        }
    }
}
