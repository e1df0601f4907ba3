package dev.descent.nn;

import dev.descent.autograd.Variable;

/**
 * The nonlinearity between a Transformer block's two feed-forward matrices, as the {@code activation}
 * string of {@code torch.nn.TransformerEncoderLayer}: {@code "relu"} (the default) or {@code "gelu"} (the
 * exact, erf form). Like PyTorch's string activations it is a function, not a registered module.
 */
public enum FeedForwardActivation {
    /** max(x, 0). */
    RELU,
    /** x Φ(x), with the Gaussian CDF Φ computed through erf. */
    GELU;

    /** This activation applied to {@code x}. */
    public Variable apply(Variable x) {
        return this == RELU ? x.relu() : x.gelu();
    }
}
