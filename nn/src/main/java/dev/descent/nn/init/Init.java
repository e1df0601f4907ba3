package dev.descent.nn.init;

import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;

/**
 * Initialisers, as {@code torch.nn.init}: each fills a tensor in place from an explicit {@link Rng} and
 * returns it. Fans follow PyTorch: for a weight of shape {@code [out, in, k...]}, fan-in is
 * {@code in * prod(k)} and fan-out {@code out * prod(k)}.
 */
public final class Init {
    /** Which fan Kaiming initialisation preserves. */
    public enum FanMode { FAN_IN, FAN_OUT }

    /** Nonlinearities with a recommended gain ({@link #gain}). */
    public enum Nonlinearity { LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU, SELU }

    private Init() {
    }

    /**
     * The recommended gain of {@code torch.nn.init.calculate_gain}: 1 for linear and sigmoid, 5/3 for tanh,
     * sqrt(2) for ReLU, sqrt(2 / (1 + slope^2)) for leaky ReLU with negative slope {@code param}, 3/4 for SELU.
     */
    public static double gain(Nonlinearity nonlinearity, double param) {
        return switch (nonlinearity) {
            case LINEAR, SIGMOID -> 1;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2);
            case LEAKY_RELU -> Math.sqrt(2 / (1 + param * param));
            case SELU -> 0.75;
        };
    }

    /** {fanIn, fanOut} of a weight of at least two dimensions. */
    public static int[] fans(Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("fans: fan in and fan out need at least 2 dimensions, got shape "
                    + t.shape());
        }
        int receptive = 1;
        for (int d = 2; d < t.dim(); d++) {
            receptive *= t.size(d);
        }
        return new int[] {t.size(1) * receptive, t.size(0) * receptive};
    }

    public static Tensor zeros_(Tensor t) {
        return t.fill_(0);
    }

    public static Tensor ones_(Tensor t) {
        return t.fill_(1);
    }

    /** U(a, b). */
    public static Tensor uniform_(Tensor t, double a, double b, Rng rng) {
        return t.copy_(Tensor.rand(rng, DType.FLOAT64, t.shape().toArray()).mul(b - a).add(a).cast(t.dtype()));
    }

    /** N(mean, std^2). */
    public static Tensor normal_(Tensor t, double mean, double std, Rng rng) {
        return t.copy_(Tensor.randn(rng, DType.FLOAT64, t.shape().toArray()).mul(std).add(mean).cast(t.dtype()));
    }

    /**
     * N(mean, std^2) conditioned on [a, b], drawn by rejection (each element redrawn until it falls inside),
     * which gives the truncated normal exactly; PyTorch uses the inverse CDF, the same distribution.
     */
    public static Tensor truncNormal_(Tensor t, double mean, double std, double a, double b, Rng rng) {
        if (!(a < b)) {
            throw new IllegalArgumentException("truncNormal_: the interval [" + a + ", " + b + "] is empty");
        }
        double lo = (a - mean) / std;
        double hi = (b - mean) / std;
        if (lo > 5 || hi < -5) {
            throw new IllegalArgumentException("truncNormal_: [" + a + ", " + b + "] is more than 5 standard"
                    + " deviations from the mean " + mean + "; rejection would take too long");
        }
        double[] values = new double[t.numel()];
        for (int i = 0; i < values.length; i++) {
            double z;
            do {
                z = rng.nextGaussian();
            } while (z < lo || z > hi);
            values[i] = mean + std * z;
        }
        return t.copy_(Tensor.of(values, t.shape().toArray()).cast(t.dtype()));
    }

    /** Xavier (Glorot) uniform: U(-r, r) with r = gain * sqrt(6 / (fanIn + fanOut)). */
    public static Tensor xavierUniform_(Tensor t, double gain, Rng rng) {
        int[] f = fans(t);
        double r = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform_(t, -r, r, rng);
    }

    /** Xavier (Glorot) normal: N(0, s^2) with s = gain * sqrt(2 / (fanIn + fanOut)). */
    public static Tensor xavierNormal_(Tensor t, double gain, Rng rng) {
        int[] f = fans(t);
        return normal_(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), rng);
    }

    /** Kaiming (He) uniform: U(-r, r) with r = gain * sqrt(3 / fan), gain from the nonlinearity and slope a. */
    public static Tensor kaimingUniform_(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Rng rng) {
        double std = gain(nonlinearity, a) / Math.sqrt(fan(t, mode));
        double r = Math.sqrt(3) * std;
        return uniform_(t, -r, r, rng);
    }

    /** Kaiming (He) normal: N(0, s^2) with s = gain / sqrt(fan). */
    public static Tensor kaimingNormal_(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Rng rng) {
        return normal_(t, 0, gain(nonlinearity, a) / Math.sqrt(fan(t, mode)), rng);
    }

    private static int fan(Tensor t, FanMode mode) {
        int[] f = fans(t);
        return mode == FanMode.FAN_IN ? f[0] : f[1];
    }

    /**
     * A (semi-)orthogonal matrix times {@code gain}, as {@code torch.nn.init.orthogonal_}: the Q of a QR
     * decomposition of a standard normal matrix (rows = size(0), columns = the rest flattened), with
     * columns' signs fixed by R's diagonal; the transpose is taken when there are fewer rows than columns.
     */
    public static Tensor orthogonal_(Tensor t, double gain, Rng rng) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("orthogonal_: needs at least 2 dimensions, got shape " + t.shape());
        }
        int rows = t.size(0);
        int cols = t.numel() / Math.max(rows, 1);
        boolean wide = rows < cols;
        int m = wide ? cols : rows; // the tall matrix to factor: m x n with m >= n
        int n = wide ? rows : cols;
        double[] a = Tensor.randn(rng, DType.FLOAT64, m, n).toDoubleArray();
        double[] q = householderQ(a, m, n);
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = gain * (wide ? q[j * n + i] : q[i * n + j]);
            }
        }
        return t.copy_(Tensor.of(out, t.shape().toArray()).cast(t.dtype()));
    }

    /**
     * The m x n thin Q of a = QR (Householder), with each column multiplied by the sign of R's diagonal so
     * that the factorisation is unique (R's diagonal positive), as PyTorch does.
     */
    private static double[] householderQ(double[] a, int m, int n) {
        double[] r = a.clone();
        double[][] vs = new double[n][];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm += r[i * n + k] * r[i * n + k];
            }
            norm = Math.sqrt(norm);
            double alpha = r[k * n + k] > 0 ? -norm : norm;
            double[] v = new double[m];
            for (int i = k; i < m; i++) {
                v[i] = r[i * n + k];
            }
            v[k] -= alpha;
            double vv = 0;
            for (int i = k; i < m; i++) {
                vv += v[i] * v[i];
            }
            vs[k] = v;
            if (vv == 0) {
                continue;
            }
            for (int j = k; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) {
                    dot += v[i] * r[i * n + j];
                }
                double f = 2 * dot / vv;
                for (int i = k; i < m; i++) {
                    r[i * n + j] -= f * v[i];
                }
            }
        }
        // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity
        double[] q = new double[m * n];
        for (int j = 0; j < n; j++) {
            q[j * n + j] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            double[] v = vs[k];
            double vv = 0;
            for (int i = k; i < m; i++) {
                vv += v[i] * v[i];
            }
            if (vv == 0) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) {
                    dot += v[i] * q[i * n + j];
                }
                double f = 2 * dot / vv;
                for (int i = k; i < m; i++) {
                    q[i * n + j] -= f * v[i];
                }
            }
        }
        for (int j = 0; j < n; j++) {
            if (r[j * n + j] < 0) {
                for (int i = 0; i < m; i++) {
                    q[i * n + j] = -q[i * n + j];
                }
            }
        }
        return q;
    }
}
