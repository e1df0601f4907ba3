package dev.descent.tensor.cpu;

/**
 * The rows of {@link NormKernels} for FLOAT64. Weight and bias may be null; the
 * backward offsets are those of g, x, mean, rstd and weight, in that order.
 */
final class DoubleNormRows {
    private DoubleNormRows() {
    }

    static void forward(double[] x, int xo, double[] w, int wo, double[] b, int bo, double eps, int cols, int r0, int r1,
                        double[] out, double[] mean, double[] rstd) {
        for (int r = r0; r < r1; r++) {
            int base = xo + r * cols;
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += x[base + j];
            }
            double mu = sum / cols;
            double sq = 0;
            for (int j = 0; j < cols; j++) {
                double d = x[base + j] - mu;
                sq += d * d;
            }
            double inv = 1 / Math.sqrt(sq / cols + eps);
            mean[r] = mu;
            rstd[r] = inv;
            int ob = r * cols;
            if (w != null && b != null) {
                for (int j = 0; j < cols; j++) {
                    out[ob + j] = ((x[base + j] - mu) * inv * w[wo + j] + b[bo + j]);
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    double y = (x[base + j] - mu) * inv;
                    if (w != null) {
                        y *= w[wo + j];
                    }
                    if (b != null) {
                        y += b[bo + j];
                    }
                    out[ob + j] = y;
                }
            }
        }
    }

    static void backward(double[] g, double[] x, double[] mean, double[] rstd, double[] w, int[] offsets, int cols,
                         int r0, int r1, double[] gx, double[] gwPart, double[] gbPart) {
        int go = offsets[0];
        int xo = offsets[1];
        int wo = offsets[4];
        for (int r = r0; r < r1; r++) {
            int xb = xo + r * cols;
            int gb0 = go + r * cols;
            double mu = mean[offsets[2] + r];
            double inv = rstd[offsets[3] + r];
            double a = 0;
            double b = 0;
            for (int j = 0; j < cols; j++) {
                double gj = g[gb0 + j];
                double xhat = (x[xb + j] - mu) * inv;
                double gh = w == null ? gj : gj * w[wo + j];
                a += gh;
                b += gh * xhat;
            }
            if (gwPart != null) {
                for (int j = 0; j < cols; j++) {
                    gwPart[j] += g[gb0 + j] * ((x[xb + j] - mu) * inv);
                }
            }
            if (gbPart != null) {
                for (int j = 0; j < cols; j++) {
                    gbPart[j] += g[gb0 + j];
                }
            }
            if (gx != null) {
                double meanA = a / cols;
                double meanB = b / cols;
                int ob = r * cols;
                for (int j = 0; j < cols; j++) {
                    double gj = g[gb0 + j];
                    double xhat = (x[xb + j] - mu) * inv;
                    double gh = w == null ? gj : gj * w[wo + j];
                    gx[ob + j] = (inv * (gh - meanA - xhat * meanB));
                }
            }
        }
    }
}
