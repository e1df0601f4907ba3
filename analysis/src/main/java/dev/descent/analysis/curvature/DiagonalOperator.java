package dev.descent.analysis.curvature;

/**
 * The diagonal matrix {@code diag(d)} as a {@link CurvatureOperator}: an operator whose spectrum is known
 * exactly (the entries of {@code d}), for checking solvers and for diagonal curvature approximations.
 */
public final class DiagonalOperator implements CurvatureOperator {
    private final double[] diagonal;

    /**
     * The operator {@code diag(diagonal)}; the array is copied.
     *
     * @throws IllegalArgumentException if {@code diagonal} is empty or has a non-finite entry
     */
    public DiagonalOperator(double[] diagonal) {
        if (diagonal.length == 0) {
            throw new IllegalArgumentException("DiagonalOperator: the diagonal is empty");
        }
        for (int i = 0; i < diagonal.length; i++) {
            if (!Double.isFinite(diagonal[i])) {
                throw new IllegalArgumentException("DiagonalOperator: entry " + i + " is " + diagonal[i]);
            }
        }
        this.diagonal = diagonal.clone();
    }

    @Override
    public int size() {
        return diagonal.length;
    }

    /** A copy of the diagonal. */
    public double[] diagonal() {
        return diagonal.clone();
    }

    @Override
    public double[] apply(double[] v) {
        CurvatureOperator.checkLength("DiagonalOperator.apply", diagonal.length, v);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = diagonal[i] * v[i];
        }
        return out;
    }
}
