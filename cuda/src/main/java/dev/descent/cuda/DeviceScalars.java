package dev.descent.cuda;

import dev.descent.tensor.DType;

/** One-element host arrays of a dtype, for uploading a scalar operand. */
final class DeviceScalars {
    private DeviceScalars() {
    }

    /** {@code value} converted to {@code dtype} (non-zero is true for BOOL) in a one-element array. */
    static Object hostArray(DType dtype, double value) {
        return switch (dtype) {
            case FLOAT32 -> new float[] {(float) value};
            case FLOAT64 -> new double[] {value};
            case INT64 -> new long[] {(long) value};
            case BOOL -> new boolean[] {value != 0};
        };
    }
}
