package dev.descent.analysis.monitor;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One row of {@code monitor.csv}, written every {@code k} steps; NaN marks what was not measured at this row.
 *
 * @param step                   the step
 * @param loss                   the loss the loop reported at this step
 * @param lossMean               the mean reported loss over the steps since the previous row (this one included)
 * @param fullLoss               the loss over the fixed batches (at full-gradient steps)
 * @param fullGradNorm           {@code ‖∇L(θ_t)‖} over the fixed batches, in evaluation mode
 * @param stochasticGradNormMean the mean of {@code ‖g_t‖} (the loop's {@code .grad}) over the steps since the
 *                               previous row
 * @param stochasticGradNormVar  their sample variance (divisor n − 1)
 * @param weightNorm             {@code ‖θ_t‖} over every parameter
 * @param weightNorms            {@code ‖θ_t‖} of each parameter tensor, by name
 * @param displacement           {@code ‖θ_t − θ_{t−w}‖}
 * @param lossChangeMean         the mean of {@code ΔL} over the current window (its time average, which Zhang et al.
 *                               expect to go to 0)
 * @param ks                     the Kolmogorov–Smirnov statistic between the current and the previous window of
 *                               {@code ΔL}
 * @param w1                     the 1-Wasserstein distance between them
 * @param histogram              the histogram of {@code ΔL} over the current window, or null
 */
public record MonitorRow(long step, double loss, double lossMean, double fullLoss, double fullGradNorm,
                         double stochasticGradNormMean, double stochasticGradNormVar, double weightNorm,
                         Map<String, Double> weightNorms, double displacement, double lossChangeMean, double ks,
                         double w1, @Nullable Histogram histogram) {
}
