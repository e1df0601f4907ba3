package dev.descent.analysis.spectrum;

import java.util.List;

/**
 * Estimates of the traces of the diagonal blocks {@code A_ll} of an operator. Arrays are shared, not copied.
 *
 * @param blocks the blocks, in the order given
 * @param estimates the estimate of {@code tr(A_ll)} for each block
 * @param standardErrors the standard error of each estimate
 * @param samples the number of probes (one operator application each, shared by all blocks)
 */
public record BlockTraceEstimate(List<Block> blocks, double[] estimates, double[] standardErrors, int samples) {
}
