package dev.descent.nn;

/**
 * Where a Transformer block puts its layer normalisations, following Xiong et al. 2020, "On Layer
 * Normalization in the Transformer Architecture", §3.1. With a sublayer f (attention or feed-forward), its
 * dropout, and the residual stream x:
 *
 * <ul>
 *   <li>{@link #POST}: {@code x = LN(x + f(x))}, the original Transformer (PyTorch's {@code norm_first=False}).</li>
 *   <li>{@link #PRE}: {@code x = x + f(LN(x))}, with one more LN after the last block of a stack
 *       (PyTorch's {@code norm_first=True}).</li>
 * </ul>
 */
public enum NormPosition {
    /** Normalise each sublayer's input; the residual stream itself is never normalised until the final LN. */
    PRE,
    /** Normalise after each residual addition. */
    POST
}
