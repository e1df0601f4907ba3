package dev.descent.analysis.spectrum;

import org.jspecify.annotations.Nullable;

/**
 * Approximate eigenpairs of an operator, ordered as their {@link Which} asks (or as found, for power
 * iteration). Arrays are shared, not copied.
 *
 * @param values the eigenvalue estimates
 * @param residuals {@code ‖Av − λv‖} for each pair (for Lanczos, the Ritz residual {@code |β_m y_k[m]|})
 * @param vectors unit eigenvector estimates, or {@code null} when not requested
 * @param steps the Lanczos steps taken, or the total power-iteration matrix-vector products
 */
public record Eigenpairs(double[] values, double[] residuals, double @Nullable [][] vectors, int steps) {

    /** The number of pairs. */
    public int count() {
        return values.length;
    }

    /** The largest {@code residuals[i] / |values[i]|}: how far the worst pair is from converged. */
    public double maxRelativeResidual() {
        double worst = 0;
        for (int i = 0; i < values.length; i++) {
            worst = Math.max(worst, residuals[i] == 0 ? 0 : residuals[i] / Math.abs(values[i]));
        }
        return worst;
    }

    /**
     * The {@code k} Ritz pairs of {@code result} at the end {@code which}, with Ritz vectors when the run
     * kept its basis.
     *
     * @throws IllegalArgumentException if {@code k} is not in {@code 1..result.steps()}
     */
    public static Eigenpairs select(LanczosResult result, int k, Which which) {
        if (k < 1 || k > result.steps()) {
            throw new IllegalArgumentException("Eigenpairs.select: k = " + k + " must lie in 1.." + result.steps()
                    + " (the Lanczos steps taken)");
        }
        int[] chosen = which.select(result.ritzValues(), k);
        double[] values = new double[k];
        double[] residuals = new double[k];
        double[][] vectors = result.basis() == null ? null : new double[k][];
        for (int i = 0; i < k; i++) {
            values[i] = result.ritzValues()[chosen[i]];
            residuals[i] = result.ritzResiduals()[chosen[i]];
            if (vectors != null) {
                vectors[i] = result.ritzVector(chosen[i]);
            }
        }
        return new Eigenpairs(values, residuals, vectors, result.steps());
    }
}
