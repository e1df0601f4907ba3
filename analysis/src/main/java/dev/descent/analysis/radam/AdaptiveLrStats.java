package dev.descent.analysis.radam;

/**
 * The distribution of the adaptive learning rate {@code ψ = sqrt((1−β2^t)/v)} across the coordinates of a model
 * at one optimizer step, read from the optimizer's second-moment buffers by {@link AdaptiveLrRecorder}.
 *
 * @param step              the optimizer's step counter {@code t} (the largest over the parameters)
 * @param rho               {@code ρ_t} at that step
 * @param rectification     {@code r_t} at that step; NaN where {@code ρ_t ≤ 4}
 * @param coordinates       the coordinates with {@code v > 0}, over which the statistics are taken
 * @param zeroCoordinates   the coordinates with {@code v = 0} (never a non-zero gradient, so {@code ψ = ∞});
 *                          they are counted here and left out of the statistics
 * @param mean              the mean of {@code ψ}
 * @param variance          the variance of {@code ψ} across coordinates (divisor n)
 * @param rectifiedVariance {@code r_t² × variance}, the variance of the rectified rate; NaN where {@code ρ_t ≤ 4}
 * @param min               the smallest {@code ψ}
 * @param q05               the 5% quantile (linear interpolation between order statistics)
 * @param q25               the 25% quantile
 * @param median            the median
 * @param q75               the 75% quantile
 * @param q95               the 95% quantile
 * @param max               the largest {@code ψ}
 */
public record AdaptiveLrStats(long step, double rho, double rectification, long coordinates, long zeroCoordinates,
                              double mean, double variance, double rectifiedVariance, double min, double q05,
                              double q25, double median, double q75, double q95, double max) {
}
