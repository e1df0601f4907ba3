package dev.descent.nn.functional;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;

/** Scaled dot-product attention. */
final class Attention {
    private Attention() {
    }

    static F.AttentionResult scaledDotProductAttention(Variable q, Variable k, Variable v, Tensor mask, boolean causal,
                                                       double dropout, Rng rng) { throw new UnsupportedOperationException("being written"); }
}
