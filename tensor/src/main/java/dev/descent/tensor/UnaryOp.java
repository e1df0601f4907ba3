package dev.descent.tensor;

/**
 * The elementwise one-input kernels a {@link Backend} implements. Two ops take parameters, passed as
 * {@code p} and {@code q} to {@link Backend#unary}: {@link #CLAMP} (min, max) and {@link #SOFTPLUS}
 * (beta, threshold). Every op except {@link #NEG}, {@link #ABS}, {@link #SIGN}, {@link #SQUARE},
 * {@link #RELU} and {@link #CLAMP} requires a floating-point input.
 */
public enum UnaryOp {
    NEG(false), ABS(false), SIGN(false), SQUARE(false), RELU(false), CLAMP(false),
    EXP(true), LOG(true), LOG1P(true), EXPM1(true), SQRT(true), RSQRT(true), RECIPROCAL(true),
    SIN(true), COS(true), TANH(true), SIGMOID(true),
    /** x * Phi(x) with the exact normal CDF, {@code 0.5 x (1 + erf(x / sqrt 2))}. */
    GELU_ERF(true),
    /** The tanh approximation {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    GELU_TANH(true),
    SILU(true),
    /** {@code log(1 + exp(beta x)) / beta}, and {@code x} where {@code beta x > threshold}, as PyTorch. */
    SOFTPLUS(true),
    ERF(true);

    private String methodName;

    private final boolean floatOnly;

    UnaryOp(boolean floatOnly) {
        this.floatOnly = floatOnly;
    }

    /** True when the op is only defined for FLOAT32 and FLOAT64 inputs. */
    public boolean floatOnly() {
        return floatOnly;
    }

    /** The op's name as Tensor methods spell it, for error messages (made once: it is asked for on every call). */
    public String methodName() {
        String m = methodName;
        if (m == null) {
            methodName = m = spelling(); // a benign race: every thread computes the same string
        }
        return m;
    }

    private String spelling() {
        return switch (this) {
            case GELU_ERF, GELU_TANH -> "gelu";
            case LOG1P -> "log1p";
            case EXPM1 -> "expm1";
            default -> name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
