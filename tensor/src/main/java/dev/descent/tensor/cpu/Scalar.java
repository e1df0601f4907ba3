package dev.descent.tensor.cpu;

/** Scalar definitions of the composite activations, in double precision. */
final class Scalar {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private Scalar() {
    }

    /** 1 / (1 + e^-x), written so that neither branch overflows. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /** For x < 0, 1 + erf(x / sqrt 2) is written erfc(-x / sqrt 2) so that the tail keeps its precision. */
    static double geluErf(double x) {
        return x >= 0 ? 0.5 * x * (1 + Erf.erf(x * SQRT_HALF)) : 0.5 * x * Erf.erfc(-x * SQRT_HALF);
    }

    static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
    }

    static double silu(double x) {
        return x * sigmoid(x);
    }

    /** PyTorch's softplus: linear above the threshold, where log1p(exp) would only round to x. */
    static double softplus(double x, double beta, double threshold) {
        double bx = beta * x;
        return bx > threshold ? x : Math.log1p(Math.exp(bx)) / beta;
    }
}
