package dev.descent.analysis.spectrum;

import dev.descent.analysis.curvature.CurvatureOperator;
import dev.descent.analysis.curvature.DenseOperator;
import dev.descent.tensor.Rng;
import java.util.Arrays;

/** Matrices with known spectra, and a reference eigenvalue routine independent of the code under test. */
final class TestMatrices {
    private TestMatrices() {
    }

    /** A random orthogonal matrix: the product of n Householder reflections {@code I − 2uuᵀ}, u Gaussian unit. */
    static double[][] randomOrthogonal(int n, Rng rng) {
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            q[i][i] = 1;
        }
        for (int r = 0; r < n; r++) {
            double[] u = Probe.GAUSSIAN.drawUnit(n, rng);
            // Q <- Q (I − 2uuᵀ): each row x becomes x − 2(x·u)u
            for (double[] row : q) {
                double d = 2 * dot(row, u);
                for (int j = 0; j < n; j++) {
                    row[j] -= d * u[j];
                }
            }
        }
        return q;
    }

    /** {@code Q diag(λ) Qᵀ}, symmetrised; the columns of {@code q} are the eigenvectors. */
    static double[][] withSpectrum(double[][] q, double[] lambda) {
        int n = lambda.length;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[i][k] * lambda[k] * q[j][k];
                }
                a[i][j] = s;
                a[j][i] = s;
            }
        }
        return a;
    }

    /** The Wishart matrix {@code XᵀX / rows} of a {@code rows x cols} standard Gaussian X. */
    static double[][] wishart(int rows, int cols, Rng rng) {
        double[][] x = new double[rows][cols];
        for (double[] row : x) {
            for (int j = 0; j < cols; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        double[][] a = new double[cols][cols];
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (double[] row : x) {
                    s += row[i] * row[j];
                }
                a[i][j] = s / rows;
                a[j][i] = s / rows;
            }
        }
        return a;
    }

    /** Eigenvalues of a symmetric matrix, ascending, by cyclic Jacobi rotations until the off-diagonal vanishes. */
    static double[] jacobiEigenvalues(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = matrix[i].clone();
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    total += a[i][j] * a[i][j];
                    off += i == j ? 0 : a[i][j] * a[i][j];
                }
            }
            if (off <= 1e-30 * total) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] != 0) {
                        rotate(a, p, q);
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i][i];
        }
        Arrays.sort(values);
        return values;
    }

    /** Zeroes a[p][q] by the rotation J with {@code tan 2φ = 2a_pq / (a_qq − a_pp)}; a <- Jᵀ a J. */
    private static void rotate(double[][] a, int p, int q) {
        double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        int n = a.length;
        for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - s * akq;
            a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - s * aqk;
            a[q][k] = s * apk + c * aqk;
        }
    }

    /** {@code ‖Av − θv‖}. */
    static double residual(CurvatureOperator op, double[] v, double theta) {
        double[] av = op.apply(v);
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += (av[i] - theta * v[i]) * (av[i] - theta * v[i]);
        }
        return Math.sqrt(s);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double[] column(double[][] m, int j) {
        double[] c = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i][j];
        }
        return c;
    }

    static double trace(double[][] m) {
        double s = 0;
        for (int i = 0; i < m.length; i++) {
            s += m[i][i];
        }
        return s;
    }

    static DenseOperator dense(double[][] m) {
        return DenseOperator.of(m);
    }
}
