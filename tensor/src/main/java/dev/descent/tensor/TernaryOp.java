package dev.descent.tensor;

/**
 * Fused three-input elementwise kernels, so that optimizer updates allocate nothing. With inputs
 * {@code a}, {@code b}, {@code c} and scalar {@code s}:
 * {@link #ADDCMUL} is {@code a + s b c}, {@link #ADDCDIV} is {@code a + s b / c}, and {@link #LERP} is
 * {@code a + c (b - a)} (a per-element weight). Floating-point dtypes only.
 */
public enum TernaryOp {
    ADDCMUL, ADDCDIV, LERP
}
