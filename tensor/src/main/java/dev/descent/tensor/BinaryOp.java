package dev.descent.tensor;

/**
 * The elementwise two-input kernels a {@link Backend} implements. Arithmetic ops produce the inputs'
 * dtype, comparisons produce {@link DType#BOOL}, logical ops take and produce BOOL.
 *
 * <p>{@link Backend#binary} passes a scalar {@code alpha} that three ops use: {@link #ADD} computes
 * {@code a + alpha b}, {@link #SUB} {@code a - alpha b} (as {@code torch.add(a, b, alpha=...)}), and
 * {@link #LERP} {@code a + alpha (b - a)}. The others ignore it.
 */
public enum BinaryOp {
    ADD(Kind.ARITHMETIC), SUB(Kind.ARITHMETIC), MUL(Kind.ARITHMETIC), DIV(Kind.FLOAT_ONLY),
    POW(Kind.FLOAT_ONLY), MAXIMUM(Kind.ARITHMETIC), MINIMUM(Kind.ARITHMETIC), LERP(Kind.FLOAT_ONLY),
    EQ(Kind.COMPARISON), NE(Kind.COMPARISON), LT(Kind.COMPARISON), LE(Kind.COMPARISON),
    GT(Kind.COMPARISON), GE(Kind.COMPARISON),
    AND(Kind.LOGICAL), OR(Kind.LOGICAL), XOR(Kind.LOGICAL);

    private String methodName;

    /** What inputs an op takes and what it returns. */
    public enum Kind {
        /** FLOAT32, FLOAT64, INT64 in; the same dtype out. */
        ARITHMETIC,
        /** FLOAT32 and FLOAT64 only. */
        FLOAT_ONLY,
        /** Any dtype in; BOOL out. */
        COMPARISON,
        /** BOOL in; BOOL out. */
        LOGICAL
    }

    private final Kind kind;

    BinaryOp(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The dtype this op produces from inputs of {@code in}. */
    public DType resultType(DType in) {
        return kind == Kind.COMPARISON || kind == Kind.LOGICAL ? DType.BOOL : in;
    }

    /** Whether {@code dtype} is a valid input dtype. */
    public boolean accepts(DType dtype) {
        return switch (kind) {
            case ARITHMETIC -> dtype != DType.BOOL;
            case FLOAT_ONLY -> dtype.isFloatingPoint();
            case COMPARISON -> true;
            case LOGICAL -> dtype == DType.BOOL;
        };
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
            case AND -> "logicalAnd";
            case OR -> "logicalOr";
            case XOR -> "logicalXor";
            default -> name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
