package dev.descent.analysis.curvature;

/**
 * A symmetric linear map {@code v -> Av} on flat float64 vectors of a fixed length: a Hessian, a block of
 * one, or any matrix with a known spectrum for tests. The solvers ({@code Lanczos}, stochastic Lanczos
 * quadrature, Hutchinson) see curvature only through this interface.
 *
 * <p>Implementations must be deterministic: Lanczos assumes the same operator at every step, so an
 * operator over data fixes its batches, and one over a model leaves batch-norm statistics and dropout
 * alone.
 */
public interface CurvatureOperator {
    /** The length of the vectors this operator maps. */
    int size();

    /**
     * Returns {@code Av} as a new array; {@code v} is left unchanged.
     *
     * @throws IllegalArgumentException if {@code v.length != size()}
     */
    double[] apply(double[] v);

    /** Checks {@code v}'s length, for implementations. */
    static void checkLength(String operation, int size, double[] v) {
        if (v.length != size) {
            throw new IllegalArgumentException(operation + ": vector has " + v.length
                    + " elements, the operator maps vectors of " + size);
        }
    }
}
