package dev.descent.analysis.spectrum;

import dev.descent.analysis.curvature.CurvatureOperator;
import dev.descent.tensor.Rng;
import java.util.Arrays;

/**
 * Hutchinson's trace estimator: the mean of {@code zᵀAz} over random probes z with {@code E[zzᵀ] = I}.
 *
 * <p>Stops when the standard error falls to {@code tolerance · |mean|} (after at least {@code minSamples}
 * probes) or at {@code maxSamples}. PH instead stops when successive running means differ by less than its
 * tolerance, which says little about the error; the standard error does. Defaults: Rademacher probes
 * (PH, HE1), at most 100 samples (PH's {@code maxIter}, HE1's {@code num_samples}), tolerance 1e-3 (PH's
 * number, here on the relative standard error), at least 10 samples (ours: fewer make the standard error
 * itself unreliable). With Rademacher probes the estimate is exact for a diagonal operator, whose samples
 * are then all equal, so it stops at {@code minSamples}.
 */
public final class Hutchinson {
    /** The default sample limit (PH, HE1). */
    public static final int DEFAULT_MAX_SAMPLES = 100;
    /** The default minimum sample count (ours). */
    public static final int DEFAULT_MIN_SAMPLES = 10;
    /** The default relative standard-error tolerance (PH's value). */
    public static final double DEFAULT_TOLERANCE = 1e-3;

    private final Probe probe;
    private final double tolerance;
    private final int minSamples;
    private final int maxSamples;

    /** Hutchinson with the defaults. */
    public Hutchinson() {
        this(Probe.RADEMACHER, DEFAULT_TOLERANCE, DEFAULT_MIN_SAMPLES, DEFAULT_MAX_SAMPLES);
    }

    /**
     * Hutchinson with the given probe distribution and stopping rule.
     *
     * @throws IllegalArgumentException if {@code tolerance} is negative, {@code minSamples < 2} or
     *     {@code maxSamples < minSamples}
     */
    public Hutchinson(Probe probe, double tolerance, int minSamples, int maxSamples) {
        if (!(tolerance >= 0) || minSamples < 2 || maxSamples < minSamples) {
            throw new IllegalArgumentException("Hutchinson: need tolerance >= 0 and 2 <= minSamples <= maxSamples, got "
                    + tolerance + ", " + minSamples + ", " + maxSamples);
        }
        this.probe = probe;
        this.tolerance = tolerance;
        this.minSamples = minSamples;
        this.maxSamples = maxSamples;
    }

    /** Estimates {@code tr(op)} with probes drawn from {@code rng}. */
    public TraceEstimate estimate(CurvatureOperator op, Rng rng) {
        double[] samples = new double[maxSamples];
        RunningMean stats = new RunningMean();
        while (stats.count() < maxSamples) {
            double[] z = probe.draw(op.size(), rng);
            double sample = Vectors.dot(z, Vectors.apply(op, z, "Hutchinson"));
            samples[stats.count()] = sample;
            stats.add(sample);
            if (stats.count() >= minSamples && stats.standardError() <= tolerance * Math.abs(stats.mean())) {
                break;
            }
        }
        return new TraceEstimate(stats.mean(), stats.standardError(), stats.count(),
                Arrays.copyOf(samples, stats.count()));
    }
}
