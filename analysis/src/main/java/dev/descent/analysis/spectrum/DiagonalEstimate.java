package dev.descent.analysis.spectrum;

/**
 * A Monte Carlo estimate of an operator's diagonal. Arrays are shared, not copied.
 *
 * @param diagonal the mean of {@code z ⊙ Az} over the probes
 * @param standardErrors the standard error of each entry of {@code diagonal}
 * @param samples the number of probes (one operator application each)
 */
public record DiagonalEstimate(double[] diagonal, double[] standardErrors, int samples) {
}
