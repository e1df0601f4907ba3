package dev.descent.nn.functional;

/** How a loss combines its per-element values: as PyTorch's {@code reduction='none' | 'mean' | 'sum'}. */
public enum Reduction {
    /** Per-element (per-sample) losses, of the input's batch shape. */
    NONE,
    /** The mean (over the non-ignored elements, or weighted, as each loss documents). */
    MEAN,
    /** The sum. */
    SUM
}
