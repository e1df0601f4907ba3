package dev.descent.analysis.spectrum;

import org.jspecify.annotations.Nullable;

/**
 * What {@code m} steps of {@link Lanczos} found: the tridiagonal matrix
 * {@code T = tridiag(β_1..β_{m−1}; α_1..α_m; β_1..β_{m−1})} and its eigendecomposition
 * {@code T y_k = θ_k y_k}. Arrays are shared, not copied; do not modify them.
 *
 * @param alphas the diagonal of T, {@code α_1..α_m}
 * @param betas {@code β_1..β_m}: the first {@code m − 1} are T's off-diagonal (zero where a breakdown
 *     restarted the recurrence), the last is the norm of the final residual vector
 * @param ritzValues the Ritz values θ_k, the eigenvalues of T, ascending
 * @param ritzResiduals {@code |β_m y_k[m]|}, which equals {@code ‖A Q y_k − θ_k Q y_k‖} when the basis is
 *     orthonormal (full reorthogonalisation keeps it so)
 * @param quadratureWeights {@code y_k[1]²}, the Gauss quadrature weights of the start vector's spectral
 *     measure; they sum to 1
 * @param ritzCoordinates {@code ritzCoordinates[k]} is {@code y_k}, the eigenvector of T for θ_k
 * @param restarts how many times a breakdown ({@code β} below the tolerance) restarted the recurrence
 *     from a fresh random vector orthogonal to the basis
 * @param basis the Lanczos vectors {@code q_1..q_m}, or {@code null} unless the run kept them
 */
public record LanczosResult(double[] alphas, double[] betas, double[] ritzValues, double[] ritzResiduals,
        double[] quadratureWeights, double[][] ritzCoordinates, int restarts, double @Nullable [][] basis) {

    /** The number of steps taken, {@code m}; fewer than asked when the basis spans the whole space. */
    public int steps() {
        return alphas.length;
    }

    /**
     * The Ritz vector {@code Q y_k} of {@code ritzValues()[k]}, a unit vector of the operator's size.
     *
     * @throws IllegalStateException if the run did not keep its basis ({@link Lanczos#keepingBasis()})
     * @throws IllegalArgumentException if {@code k} is not an index into the Ritz values
     */
    public double[] ritzVector(int k) {
        if (basis == null) {
            throw new IllegalStateException("LanczosResult.ritzVector: the basis was not kept; run with "
                    + "Lanczos.keepingBasis()");
        }
        if (k < 0 || k >= ritzValues.length) {
            throw new IllegalArgumentException("LanczosResult.ritzVector: index " + k + " outside 0.."
                    + (ritzValues.length - 1));
        }
        double[] y = ritzCoordinates[k];
        double[] v = new double[basis[0].length];
        for (int j = 0; j < y.length; j++) {
            Vectors.axpy(y[j], basis[j], v);
        }
        return v;
    }
}
