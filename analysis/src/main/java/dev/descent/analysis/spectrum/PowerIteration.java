package dev.descent.analysis.spectrum;

import dev.descent.analysis.curvature.CurvatureOperator;
import dev.descent.tensor.Rng;

/**
 * Power iteration with deflation by projection: the eigenvalues of largest magnitude (possibly negative),
 * one after another, each from a Gaussian start vector (PH) kept orthogonal to the eigenvectors already
 * found (PH's Gram–Schmidt deflation, here two passes).
 *
 * <p>Stops a pair when both the relative change of the Rayleigh quotient,
 * {@code |λ_t − λ_{t−1}| / |λ_{t−1}|}, and the relative residual of the deflated operator,
 * {@code ‖P(Av) − λv‖ / |λ|}, fall below {@code tolerance} (HE1's rule; PH stops on the change alone), or at
 * {@code maxIterations} applications. Defaults: 100 iterations (PH, HE1) and tolerance 1e-4 (HE1). Power
 * iteration converges at the rate {@code |λ_{i+1}/λ_i|} and stalls when two eigenvalues share a magnitude
 * (e.g. ±λ); Lanczos is almost always preferable (HE1's docs) and this class serves as a baseline.
 */
public final class PowerIteration {
    /** The default iteration limit per eigenpair (PH, HE1). */
    public static final int DEFAULT_MAX_ITERATIONS = 100;
    /** The default relative tolerance (HE1). */
    public static final double DEFAULT_TOLERANCE = 1e-4;

    private final int maxIterations;
    private final double tolerance;

    /** Power iteration with the default limits. */
    public PowerIteration() {
        this(DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE);
    }

    /**
     * Power iteration with at most {@code maxIterations} operator applications per eigenpair and relative
     * tolerance {@code tolerance}.
     *
     * @throws IllegalArgumentException if {@code maxIterations < 1} or {@code tolerance} is not positive
     */
    public PowerIteration(int maxIterations, double tolerance) {
        if (maxIterations < 1 || !(tolerance > 0)) {
            throw new IllegalArgumentException("PowerIteration: maxIterations must be at least 1 and tolerance "
                    + "positive, got " + maxIterations + " and " + tolerance);
        }
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    /**
     * The {@code k} eigenpairs of largest magnitude of {@code op}, start vectors drawn from {@code rng}.
     *
     * @throws IllegalArgumentException if {@code k < 1} or {@code k > op.size()}
     */
    public PowerIterationResult compute(CurvatureOperator op, int k, Rng rng) {
        int n = op.size();
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("PowerIteration.compute: k = " + k + " must lie in 1.." + n
                    + " (the operator's size)");
        }
        double[] values = new double[k];
        double[] residuals = new double[k];
        double[][] vectors = new double[k][];
        int[] iterations = new int[k];
        boolean[] converged = new boolean[k];
        for (int i = 0; i < k; i++) {
            double[] v = Probe.GAUSSIAN.drawUnit(n, rng);
            Vectors.orthogonalise(v, vectors, i);
            Vectors.scale(1.0 / Vectors.norm(v), v);
            double previous = Double.NaN;
            for (int t = 1; t <= maxIterations; t++) {
                double[] w = Vectors.apply(op, v, "PowerIteration");
                double lambda = Vectors.dot(v, w);
                residuals[i] = distanceToMultiple(w, lambda, v);
                Vectors.orthogonalise(w, vectors, i);
                double deflatedResidual = distanceToMultiple(w, lambda, v);
                values[i] = lambda;
                vectors[i] = v;
                iterations[i] = t;
                double change = Math.abs(lambda - previous) / Math.abs(previous);
                double wNorm = Vectors.norm(w);
                if (wNorm == 0 || (change < tolerance && deflatedResidual < tolerance * Math.abs(lambda))) {
                    converged[i] = true;
                    break;
                }
                Vectors.scale(1.0 / wNorm, w);
                v = w;
                previous = lambda;
            }
        }
        return new PowerIterationResult(values, residuals, vectors, iterations, converged);
    }

    /** {@code ‖w − λv‖}. */
    private static double distanceToMultiple(double[] w, double lambda, double[] v) {
        double s = 0;
        for (int j = 0; j < w.length; j++) {
            double d = w[j] - lambda * v[j];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
