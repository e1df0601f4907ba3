package dev.descent.examples.cli;

import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.io.SafeTensors;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Hessian of the mean cross-entropy of a linear classifier {@code z = Wx + b} (descent train's
 * {@code mlp:IN-OUT}) in closed form, written from the formula and sharing no code with the operators:
 * {@code H = (1/N) Σ_i A_i ⊗ x̃_i x̃_iᵀ}, {@code A_i = diag(p_i) − p_i p_iᵀ}, {@code x̃ = (x, 1)}, in the layout
 * of {@code ParameterBlock.all}: W row-major ({@code 0.weight}), then b ({@code 0.bias}).
 */
final class SoftmaxRegression {
    private final double[][] w;
    private final double[] b;
    private final double[][] x;
    private final double[][] p;
    private final int classes;
    private final int in;

    SoftmaxRegression(double[][] w, double[] b, double[][] x) {
        this.w = w;
        this.b = b;
        this.x = x;
        this.classes = b.length;
        this.in = w[0].length;
        this.p = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            p[i] = softmax(i);
        }
    }

    /** The classifier of a safetensors file of {@code mlp:IN-OUT}, on every example of {@code data}. */
    static SoftmaxRegression of(Path weights, TensorDataset data) throws IOException {
        Map<String, Tensor> t = SafeTensors.read(weights).tensors();
        int out = t.get("0.bias").shape().toArray()[0];
        int in = t.get("0.weight").shape().toArray()[1];
        double[] flatW = t.get("0.weight").toDoubleArray();
        double[][] w = new double[out][in];
        for (int c = 0; c < out; c++) {
            System.arraycopy(flatW, c * in, w[c], 0, in);
        }
        double[] flatX = data.inputs().toDoubleArray();
        double[][] x = new double[data.size()][in];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(flatX, i * in, x[i], 0, in);
        }
        return new SoftmaxRegression(w, t.get("0.bias").toDoubleArray(), x);
    }

    private double[] softmax(int i) {
        double[] z = new double[classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            z[c] = b[c];
            for (int j = 0; j < in; j++) {
                z[c] += w[c][j] * x[i][j];
            }
            max = Math.max(max, z[c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < classes; c++) {
            z[c] /= sum;
        }
        return z;
    }

    int size() {
        return classes * (in + 1);
    }

    private double feature(int i, int j) {
        return j < in ? x[i][j] : 1;
    }

    private int index(int c, int j) {
        return j < in ? c * in + j : classes * in + c;
    }

    /** {@code Hv}. */
    double[] apply(double[] v) {
        double[] out = new double[size()];
        double[] u = new double[classes];
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < classes; c++) {
                u[c] = 0;
                for (int j = 0; j <= in; j++) {
                    u[c] += v[index(c, j)] * feature(i, j);
                }
            }
            double pu = 0;
            for (int c = 0; c < classes; c++) {
                pu += p[i][c] * u[c];
            }
            for (int c = 0; c < classes; c++) {
                double a = p[i][c] * (u[c] - pu) / x.length;
                for (int j = 0; j <= in; j++) {
                    out[index(c, j)] += a * feature(i, j);
                }
            }
        }
        return out;
    }

    /** {@code H_kk} for every k. */
    double[] diagonal() {
        double[] d = new double[size()];
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < classes; c++) {
                double a = p[i][c] * (1 - p[i][c]) / x.length;
                for (int j = 0; j <= in; j++) {
                    d[index(c, j)] += a * feature(i, j) * feature(i, j);
                }
            }
        }
        return d;
    }

    /** {@code tr H}. */
    double trace() {
        double s = 0;
        for (double v : diagonal()) {
            s += v;
        }
        return s;
    }

    /** λ_max of H by power iteration (H is positive semi-definite), to a relative change below 1e-13. */
    double topEigenvalue() {
        double[] v = new double[size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = 1 + 0.001 * k;
        }
        double previous = 0;
        for (int t = 0; t < 20_000; t++) {
            double norm = Math.sqrt(dot(v, v));
            for (int k = 0; k < v.length; k++) {
                v[k] /= norm;
            }
            double[] hv = apply(v);
            double lambda = dot(v, hv);
            if (Math.abs(lambda - previous) < 1e-13 * lambda) {
                return lambda;
            }
            previous = lambda;
            v = hv;
        }
        throw new IllegalStateException("power iteration did not converge");
    }

    /**
     * λ_max of example {@code i}'s Hessian {@code A_i ⊗ x̃_i x̃_iᵀ}: {@code λ_max(A_i) ‖x̃_i‖²}, with λ_max(A_i) by
     * cyclic Jacobi rotations on the small matrix {@code A_i}.
     */
    double exampleTop(int i) {
        double norm2 = 1;
        for (int j = 0; j < in; j++) {
            norm2 += x[i][j] * x[i][j];
        }
        double[][] a = new double[classes][classes];
        for (int c = 0; c < classes; c++) {
            for (int e = 0; e < classes; e++) {
                a[c][e] = (c == e ? p[i][c] : 0) - p[i][c] * p[i][e];
            }
        }
        for (int sweep = 0; sweep < 50; sweep++) {
            for (int r = 0; r < classes - 1; r++) {
                for (int q = r + 1; q < classes; q++) {
                    if (a[r][q] != 0) {
                        rotate(a, r, q);
                    }
                }
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, a[c][c]);
        }
        return max * norm2;
    }

    /** Zeroes {@code a[r][q]} by a Jacobi rotation, {@code a ← Jᵀ a J}. */
    private static void rotate(double[][] a, int r, int q) {
        double theta = (a[q][q] - a[r][r]) / (2 * a[r][q]);
        double t = theta == 0 ? 1 : Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (double[] row : a) {
            double kr = row[r];
            double kq = row[q];
            row[r] = c * kr - s * kq;
            row[q] = s * kr + c * kq;
        }
        for (int k = 0; k < a.length; k++) {
            double rk = a[r][k];
            double qk = a[q][k];
            a[r][k] = c * rk - s * qk;
            a[q][k] = s * rk + c * qk;
        }
    }

    int examples() {
        return x.length;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }
}
