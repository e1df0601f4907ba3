package dev.descent.tensor;

/**
 * Element types of a {@link Tensor}. {@link #FLOAT32} is the default; {@link #FLOAT64} is for gradient
 * checks and curvature work; {@link #INT64} holds indices; {@link #BOOL} holds masks.
 *
 * <p>Operations never mix dtypes silently: combining two tensors of different dtypes is an error, and a
 * conversion is always an explicit {@link Tensor#cast(DType)}.
 */
public enum DType {
    /** 32-bit IEEE float, stored in a {@code float[]} on the CPU. */
    FLOAT32(4, "float32"),
    /** 64-bit IEEE float, stored in a {@code double[]} on the CPU. */
    FLOAT64(8, "float64"),
    /** 64-bit signed integer, stored in a {@code long[]} on the CPU. */
    INT64(8, "int64"),
    /** Boolean, stored in a {@code boolean[]} on the CPU. */
    BOOL(1, "bool");

    private final int byteSize;
    private final String displayName;

    DType(int byteSize, String displayName) {
        this.byteSize = byteSize;
        this.displayName = displayName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for {@link #FLOAT32} and {@link #FLOAT64}. */
    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** The lower-case name PyTorch and NumPy use, e.g. {@code float32}. */
    public String displayName() {
        return displayName;
    }
}
