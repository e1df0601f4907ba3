package dev.descent.cuda;

import dev.descent.tensor.DType;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Host-device copies of whole Java arrays through a native staging buffer (JavaCPP copies the array into
 * it, then {@code cudaMemcpy} moves it), freed right after each copy. BOOL travels as bytes 0 and 1.
 */
final class CudaTransfers {
    private final CudaRuntime runtime;

    CudaTransfers(CudaRuntime runtime) {
        this.runtime = runtime;
    }

    /** Copies a host array of the storage's dtype into the storage. */
    void upload(CudaStorage dst, Object array) {
        long bytes = (long) dst.size() * dst.dtype().byteSize();
        if (bytes == 0) {
            return;
        }
        try (Pointer host = staging(dst.dtype(), array)) {
            runtime.toDevice(dst.address(), host, bytes);
        }
    }

    /** Copies {@code n} elements from element {@code offset} of a storage into a new host array. */
    Object download(CudaStorage src, int offset, int n) {
        DType dtype = src.dtype();
        if (n == 0) {
            return emptyArray(dtype);
        }
        long bytes = (long) n * dtype.byteSize();
        long from = src.address(offset);
        switch (dtype) {
            case FLOAT32 -> {
                try (FloatPointer p = new FloatPointer(n)) {
                    runtime.toHost(p, from, bytes);
                    float[] out = new float[n];
                    p.get(out);
                    return out;
                }
            }
            case FLOAT64 -> {
                try (DoublePointer p = new DoublePointer(n)) {
                    runtime.toHost(p, from, bytes);
                    double[] out = new double[n];
                    p.get(out);
                    return out;
                }
            }
            case INT64 -> {
                try (LongPointer p = new LongPointer(n)) {
                    runtime.toHost(p, from, bytes);
                    long[] out = new long[n];
                    p.get(out);
                    return out;
                }
            }
            default -> {
                try (BytePointer p = new BytePointer(n)) {
                    runtime.toHost(p, from, bytes);
                    byte[] raw = new byte[n];
                    p.get(raw);
                    boolean[] out = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = raw[i] != 0;
                    }
                    return out;
                }
            }
        }
    }

    private static Pointer staging(DType dtype, Object array) {
        return switch (dtype) {
            case FLOAT32 -> new FloatPointer((float[]) array);
            case FLOAT64 -> new DoublePointer((double[]) array);
            case INT64 -> new LongPointer((long[]) array);
            case BOOL -> {
                boolean[] b = (boolean[]) array;
                byte[] raw = new byte[b.length];
                for (int i = 0; i < b.length; i++) {
                    raw[i] = (byte) (b[i] ? 1 : 0);
                }
                yield new BytePointer(raw);
            }
        };
    }

    private static Object emptyArray(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> new float[0];
            case FLOAT64 -> new double[0];
            case INT64 -> new long[0];
            case BOOL -> new boolean[0];
        };
    }
}
