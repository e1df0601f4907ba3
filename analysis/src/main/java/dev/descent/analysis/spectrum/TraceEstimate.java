package dev.descent.analysis.spectrum;

/**
 * A Monte Carlo estimate of {@code tr(A)}.
 *
 * @param estimate the mean of the samples
 * @param standardError the samples' standard deviation over {@code sqrt(samples)}
 * @param samples how many probes were used (one operator application each)
 * @param sampleValues the samples {@code zᵀAz} themselves, in the order drawn (shared, not copied)
 */
public record TraceEstimate(double estimate, double standardError, int samples, double[] sampleValues) {
}
