package dev.descent.analysis.curvature;

/**
 * A dense symmetric matrix as a {@link CurvatureOperator}: the exact Hessian of a small model, or a test
 * matrix with a known spectrum. Stored row-major in one float64 array.
 */
public final class DenseOperator implements CurvatureOperator {
    private final int n;
    private final double[] entries;

    private DenseOperator(int n, double[] entries) {
        this.n = n;
        this.entries = entries;
    }

    /**
     * The operator of the square matrix {@code rows} (copied). Symmetry is required up to rounding:
     * {@code |a_ij − a_ji| ≤ 1e-10 · max |a|}; the stored matrix is the symmetric part
     * {@code (A + Aᵀ)/2}, so that the operator is exactly symmetric.
     *
     * @throws IllegalArgumentException if the matrix is empty, not square, not symmetric, not finite, or
     *     larger than one Java array holds
     */
    public static DenseOperator of(double[][] rows) {
        int n = rows.length;
        if (n == 0) {
            throw new IllegalArgumentException("DenseOperator.of: the matrix is empty");
        }
        if ((long) n * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("DenseOperator.of: " + n + " x " + n + " entries do not fit one array");
        }
        double max = 0;
        for (int i = 0; i < n; i++) {
            if (rows[i].length != n) {
                throw new IllegalArgumentException("DenseOperator.of: row " + i + " has " + rows[i].length
                        + " entries, the matrix has " + n + " rows");
            }
            for (double a : rows[i]) {
                if (!Double.isFinite(a)) {
                    throw new IllegalArgumentException("DenseOperator.of: row " + i + " holds " + a);
                }
                max = Math.max(max, Math.abs(a));
            }
        }
        double[] entries = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double asymmetry = Math.abs(rows[i][j] - rows[j][i]);
                if (asymmetry > 1e-10 * max) {
                    throw new IllegalArgumentException("DenseOperator.of: the matrix is not symmetric, entries (" + i
                            + ", " + j + ") and (" + j + ", " + i + ") differ by " + asymmetry);
                }
                entries[i * n + j] = 0.5 * (rows[i][j] + rows[j][i]);
            }
        }
        return new DenseOperator(n, entries);
    }

    @Override
    public int size() {
        return n;
    }

    /** Entry {@code (i, j)}. */
    public double get(int i, int j) {
        return entries[i * n + j];
    }

    @Override
    public double[] apply(double[] v) {
        CurvatureOperator.checkLength("DenseOperator.apply", n, v);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int row = i * n;
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += entries[row + j] * v[j];
            }
            out[i] = s;
        }
        return out;
    }
}
