package dev.descent.tensor;

/**
 * Reduction kernels over a set of axes. {@link #ARGMAX} and {@link #ARGMIN} produce INT64 positions
 * along the (single) reduced axis, the first one where ties occur; {@link #MAX}, {@link #MIN} and the
 * arg-reductions propagate NaN as PyTorch does. {@link #SUM} and {@link #PROD} of INT64 or BOOL produce
 * INT64.
 */
public enum ReduceOp {
    SUM, PROD, MAX, MIN, ARGMAX, ARGMIN
}
