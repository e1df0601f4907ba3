package dev.descent.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes a strided view as the bytes of the kernels' {@code struct Layout} (see {@code common.cuh}):
 * eight 64-bit sizes, eight 64-bit strides, a 64-bit offset, a 32-bit rank and 4 bytes of padding, in
 * the host's byte order. Kernels take it by value.
 */
public final class CudaLayout {
    /** The most dimensions a kernel handles. */
    public static final int MAX_DIMS = 8;
    /** {@code sizeof(Layout)} on the device. */
    public static final int BYTES = 8 * MAX_DIMS * 2 + 8 + 4 + 4;

    private CudaLayout() {
    }

    /** The struct for a view with these sizes, strides (in elements) and offset. */
    public static byte[] of(String op, int[] shape, int[] strides, long offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException(op + ": " + shape.length + " sizes but " + strides.length + " strides");
        }
        if (shape.length > MAX_DIMS) {
            throw new UnsupportedOperationException(op + ": the CUDA kernels handle at most " + MAX_DIMS
                    + " dimensions, got " + shape.length);
        }
        ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.nativeOrder());
        for (int d = 0; d < MAX_DIMS; d++) {
            b.putLong(d < shape.length ? shape[d] : 1);
        }
        for (int d = 0; d < MAX_DIMS; d++) {
            b.putLong(d < strides.length ? strides[d] : 0);
        }
        b.putLong(offset);
        b.putInt(shape.length);
        b.putInt(0);
        return b.array();
    }
}
