package dev.descent.analysis.curvature;

/** How a {@link HessianOperator} computes {@code Hv}. */
public enum HvpMethod {
    /**
     * Reverse over reverse: the gradient {@code g} with its graph recorded, then the gradient of
     * {@code <g, v>}. Exact to rounding; holds the first backward pass's graph until the second ends.
     */
    DOUBLE_BACKPROP,

    /**
     * The central difference {@code [g(θ + hu) − g(θ − hu)] / 2h} along {@code u = v / ‖v‖}, rescaled by
     * {@code ‖v‖}: two first-order gradients, no second-order graph. Biased by {@code O(h²)} truncation and by
     * round-off of order {@code ε_mach ‖g‖ / h}; for cross-checks and for models whose operations lack
     * differentiable backward rules.
     */
    FINITE_DIFFERENCE
}
