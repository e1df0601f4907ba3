package dev.descent.analysis.spectrum;

import dev.descent.analysis.curvature.CurvatureOperator;
import dev.descent.tensor.Rng;

/**
 * The diagonal of a symmetric operator (the Hessian's, for curvature operators): estimated as the mean of
 * {@code z ⊙ Az} over Rademacher probes z (Bekas, Kokiopoulou and Saad 2007; the AdaHessian estimator), whose
 * entry i is {@code A_ii + Σ_{j≠i} A_ij z_i z_j}, unbiased with variance {@code Σ_{j≠i} A_ij²} per sample;
 * or exactly, one unit vector per entry, for small operators.
 */
public final class HessianDiagonal {
    private HessianDiagonal() {
    }

    /**
     * Estimates the diagonal of {@code op} from {@code samples} Rademacher probes drawn from {@code rng}.
     *
     * @throws IllegalArgumentException if {@code samples < 2} (a standard error needs two)
     */
    public static DiagonalEstimate estimate(CurvatureOperator op, int samples, Rng rng) {
        if (samples < 2) {
            throw new IllegalArgumentException("HessianDiagonal.estimate: samples must be at least 2, got " + samples);
        }
        int n = op.size();
        double[] mean = new double[n];
        double[] sumOfSquares = new double[n];
        for (int s = 1; s <= samples; s++) {
            double[] z = Probe.RADEMACHER.draw(n, rng);
            double[] az = Vectors.apply(op, z, "HessianDiagonal.estimate");
            // Welford's update, entry by entry
            for (int i = 0; i < n; i++) {
                double x = z[i] * az[i];
                double delta = x - mean[i];
                mean[i] += delta / s;
                sumOfSquares[i] += delta * (x - mean[i]);
            }
        }
        double[] errors = new double[n];
        for (int i = 0; i < n; i++) {
            errors[i] = Math.sqrt(sumOfSquares[i] / (samples - 1) / samples);
        }
        return new DiagonalEstimate(mean, errors, samples);
    }

    /** The exact diagonal of {@code op}, {@code A_ii = e_iᵀAe_i}: costs {@code op.size()} applications. */
    public static double[] exact(CurvatureOperator op) {
        int n = op.size();
        double[] diagonal = new double[n];
        double[] unit = new double[n];
        for (int i = 0; i < n; i++) {
            unit[i] = 1;
            diagonal[i] = Vectors.apply(op, unit, "HessianDiagonal.exact")[i];
            unit[i] = 0;
        }
        return diagonal;
    }
}
