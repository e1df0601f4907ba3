package dev.descent.analysis.spectrum;

import dev.descent.analysis.curvature.CurvatureOperator;
import dev.descent.tensor.Rng;

/**
 * Stochastic Lanczos quadrature: the spectral density of a symmetric operator as an average, over random
 * unit start vectors v, of the Gauss quadrature rule {@code Σ_k τ_k δ(t − θ_k)} that {@code m} Lanczos steps
 * from v give for the measure {@code Σ_i (vᵀu_i)² δ(t − λ_i)}. Each run's nodes θ are its Ritz values and its
 * weights τ the squared first components of T's eigenvectors, so every run's weights sum to 1. Smoothing is
 * a separate step, {@link SpectralDensity}.
 *
 * <p>Defaults: 10 runs of 80 steps (SD's {@code num_draws} and {@code lanczos_steps}, also HE1's
 * {@code num_runs} and {@code lanczos_steps}; PH uses 1 run of 100), Rademacher start vectors (PH, HE1; SD
 * uses Gaussian).
 */
public final class StochasticLanczosQuadrature {
    /** The default number of runs (SD, HE1). */
    public static final int DEFAULT_RUNS = 10;
    /** The default number of Lanczos steps per run (SD, HE1). */
    public static final int DEFAULT_STEPS = 80;

    private final int runs;
    private final Lanczos lanczos;

    /** SLQ with the default runs, steps and start distribution. */
    public StochasticLanczosQuadrature() {
        this(DEFAULT_RUNS, DEFAULT_STEPS, Probe.RADEMACHER);
    }

    /**
     * SLQ with {@code runs} runs of {@code steps} Lanczos steps from unit start vectors drawn from
     * {@code start}.
     *
     * @throws IllegalArgumentException if {@code runs < 1} or {@code steps < 1}
     */
    public StochasticLanczosQuadrature(int runs, int steps, Probe start) {
        if (runs < 1 || steps < 1) {
            throw new IllegalArgumentException("StochasticLanczosQuadrature: runs and steps must be at least 1, got "
                    + runs + " and " + steps);
        }
        this.runs = runs;
        this.lanczos = new Lanczos(steps).withStart(start);
    }

    /** Runs SLQ on {@code op}, every start vector drawn from {@code rng}. */
    public SlqResult estimate(CurvatureOperator op, Rng rng) {
        double[][] nodes = new double[runs][];
        double[][] weights = new double[runs][];
        for (int r = 0; r < runs; r++) {
            LanczosResult result = lanczos.run(op, rng);
            nodes[r] = result.ritzValues();
            weights[r] = result.quadratureWeights();
        }
        return new SlqResult(nodes, weights, op.size());
    }
}
