package dev.descent.analysis.spectrum;

/**
 * The eigenpairs {@link PowerIteration} found, in the order found (decreasing magnitude when each run
 * converged). Arrays are shared, not copied.
 *
 * @param values the Rayleigh quotients {@code vᵀAv}
 * @param residuals {@code ‖Av − λv‖} of each returned pair, on the operator itself (not the deflated one)
 * @param vectors the unit vectors v
 * @param iterations the operator applications spent on each pair
 * @param converged whether each pair met the stopping rule before the iteration limit
 */
public record PowerIterationResult(double[] values, double[] residuals, double[][] vectors, int[] iterations,
        boolean[] converged) {

    /** The same pairs as {@link Eigenpairs}, with the total operator applications as its step count. */
    public Eigenpairs eigenpairs() {
        int total = 0;
        for (int it : iterations) {
            total += it;
        }
        return new Eigenpairs(values, residuals, vectors, total);
    }
}
