package dev.descent.analysis.spectrum;

import java.util.Arrays;

/**
 * The eigendecomposition {@code T = Y diag(θ) Yᵀ} of a real symmetric tridiagonal matrix, in float64, by
 * the implicit symmetric QR algorithm with Wilkinson shifts (Golub and Van Loan, Matrix Computations,
 * §8.3): each sweep chases a Givens bulge down the unreduced block, and off-diagonals below
 * {@code ε(|d_i| + |d_{i+1}|)} are set to zero, splitting the problem.
 *
 * <p>Written in Java rather than calling LAPACK's {@code dstev} through the OpenBLAS preset (which does
 * expose {@code LAPACKE_dstev}): the matrices here are Lanczos matrices of order at most a few hundred, whose
 * O(m³) decomposition takes milliseconds next to m operator applications; and the analysis module then
 * depends on no native library directly, as DESIGN.md §1 allows it only {@code nn}, {@code optim},
 * {@code autograd} and {@code tensor}.
 *
 * @param values the eigenvalues θ, ascending
 * @param vectors {@code vectors[k]} is the unit eigenvector {@code y_k} of {@code values[k]}
 */
public record TridiagonalEigen(double[] values, double[][] vectors) {
    private static final double EPS = Math.ulp(1.0);

    /**
     * Decomposes the matrix with diagonal {@code diagonal} and off-diagonal {@code offDiagonal}
     * ({@code offDiagonal[i]} couples rows {@code i} and {@code i + 1}).
     *
     * @throws IllegalArgumentException if {@code offDiagonal.length != diagonal.length - 1}, the matrix is
     *     empty, or an entry is not finite
     */
    public static TridiagonalEigen of(double[] diagonal, double[] offDiagonal) {
        int n = diagonal.length;
        if (n == 0 || offDiagonal.length != n - 1) {
            throw new IllegalArgumentException("TridiagonalEigen.of: " + n + " diagonal entries need " + Math.max(0, n - 1)
                    + " off-diagonal entries, got " + offDiagonal.length);
        }
        double[] d = diagonal.clone();
        double[] e = Arrays.copyOf(offDiagonal, n);
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(d[i]) || !Double.isFinite(e[i])) {
                throw new IllegalArgumentException("TridiagonalEigen.of: non-finite entry at row " + i);
            }
        }
        double[][] v = new double[n][n];
        for (int k = 0; k < n; k++) {
            v[k][k] = 1;
        }
        diagonalise(d, e, v);
        return sorted(d, v);
    }

    private static void diagonalise(double[] d, double[] e, double[][] v) {
        int n = d.length;
        int sweeps = 0;
        int hi = n - 1;
        while (hi > 0) {
            if (negligible(d, e, hi - 1)) {
                e[hi - 1] = 0;
                hi--;
                continue;
            }
            int lo = hi - 1;
            while (lo > 0 && !negligible(d, e, lo - 1)) {
                lo--;
            }
            if (lo > 0) {
                e[lo - 1] = 0;
            }
            if (++sweeps > 50 * n) {
                throw new ArithmeticException("TridiagonalEigen.of: no convergence after " + sweeps + " QR sweeps");
            }
            sweep(d, e, v, lo, hi);
        }
    }

    private static boolean negligible(double[] d, double[] e, int i) {
        return Math.abs(e[i]) <= EPS * (Math.abs(d[i]) + Math.abs(d[i + 1])) || Math.abs(e[i]) < Double.MIN_NORMAL;
    }

    /** One implicit QR step with Wilkinson shift on the unreduced block {@code lo..hi}. */
    private static void sweep(double[] d, double[] e, double[][] v, int lo, int hi) {
        // the eigenvalue of the trailing 2x2 block nearer to its last diagonal entry
        double delta = (d[hi - 1] - d[hi]) / 2;
        double b = e[hi - 1];
        double shift = d[hi] - b * b / (delta + Math.copySign(Math.hypot(delta, b), delta));
        double x = d[lo] - shift;
        double z = e[lo];
        for (int k = lo; k < hi; k++) {
            double r = Math.hypot(x, z);
            double c = r == 0 ? 1 : x / r;
            double s = r == 0 ? 0 : z / r;
            if (k > lo) {
                e[k - 1] = r;
            }
            // T <- G T Gᵀ on rows and columns k, k+1, with G = [[c, s], [-s, c]]
            double a = d[k];
            double f = d[k + 1];
            double g = e[k];
            double cs2g = 2 * c * s * g;
            d[k] = c * c * a + cs2g + s * s * f;
            d[k + 1] = s * s * a - cs2g + c * c * f;
            e[k] = c * s * (f - a) + (c * c - s * s) * g;
            if (k + 1 < hi) {
                x = e[k];
                z = s * e[k + 1];
                e[k + 1] *= c;
            }
            rotate(v[k], v[k + 1], c, s);
        }
    }

    /** Y <- Y Gᵀ, on the two affected eigenvector columns (stored as rows of {@code v}). */
    private static void rotate(double[] p, double[] q, double c, double s) {
        for (int i = 0; i < p.length; i++) {
            double pi = p[i];
            double qi = q[i];
            p[i] = c * pi + s * qi;
            q[i] = c * qi - s * pi;
        }
    }

    private static TridiagonalEigen sorted(double[] d, double[][] v) {
        Integer[] order = new Integer[d.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Double.compare(d[i], d[j]));
        double[] values = new double[d.length];
        double[][] vectors = new double[d.length][];
        for (int k = 0; k < order.length; k++) {
            values[k] = d[order[k]];
            vectors[k] = v[order[k]];
        }
        return new TridiagonalEigen(values, vectors);
    }
}
