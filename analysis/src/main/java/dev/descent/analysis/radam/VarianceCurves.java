package dev.descent.analysis.radam;

import java.util.List;

/**
 * What {@link VarianceSimulation} measured: for each gradient mean {@code μ}, statistics of the adaptive learning
 * rate {@code ψ_t} over the independent trials at every step {@code t = 1..steps} (arrays indexed {@code t − 1}).
 *
 * @param beta2  the second-moment decay
 * @param sigma  the gradients' standard deviation
 * @param trials the number of independent gradient sequences
 * @param steps  the last step simulated
 * @param seed   the seed of the gradients
 * @param curves one per {@code μ}, in the order asked
 */
public record VarianceCurves(double beta2, double sigma, int trials, int steps, long seed, List<Curve> curves) {
    /**
     * The statistics for one gradient mean.
     *
     * @param mu                 the gradients' mean
     * @param mean               the sample mean of {@code ψ_t} over the trials
     * @param variance           the sample variance (divisor {@code trials − 1}) of {@code ψ_t}
     * @param varianceStdErr     the standard error of {@code variance}, from the sample's fourth central moment
     * @param rectifiedVariance  the sample variance of {@code r_t ψ_t}, which is {@code r_t²} times
     *                           {@code variance}; NaN where {@code ρ_t ≤ 4} ({@code r_t} undefined)
     */
    public record Curve(double mu, double[] mean, double[] variance, double[] varianceStdErr,
                        double[] rectifiedVariance) {
        /** {@code Var[ψ_t]} at step {@code t} (1-based). */
        public double varianceAt(int t) {
            return variance[t - 1];
        }

        /** {@code Var[r_t ψ_t]} at step {@code t} (1-based); NaN where {@code ρ_t ≤ 4}. */
        public double rectifiedVarianceAt(int t) {
            return rectifiedVariance[t - 1];
        }

        /** The standard error of {@link #varianceAt(int)}. */
        public double varianceStdErrAt(int t) {
            return varianceStdErr[t - 1];
        }
    }

    /** The curve of gradient mean {@code mu}. */
    public Curve curve(double mu) {
        for (Curve c : curves) {
            if (Double.compare(c.mu(), mu) == 0) {
                return c;
            }
        }
        throw new IllegalArgumentException("VarianceCurves.curve: no curve for mu " + mu + " (have "
                + curves.stream().map(Curve::mu).toList() + ")");
    }

    /** The first step whose {@code ρ_t} exceeds 4, from which {@code r_t} and the approximation are defined. */
    public int firstRectifiedStep() {
        for (int t = 1; t <= steps; t++) {
            if (RectificationTerms.rho(beta2, t) > 4) {
                return t;
            }
        }
        return steps + 1;
    }
}
