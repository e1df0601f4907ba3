package dev.descent.cuda;

import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;

import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * Launches a kernel on the default stream. Arguments are given as Java values and copied into host
 * memory that {@code cuLaunchKernel} reads: {@code Long} (a device address or a {@code long long}),
 * {@code Double}, {@code Float}, {@code Byte} and {@code byte[]} (a struct by value, e.g. a
 * {@link CudaLayout}).
 */
final class Launcher {
    /** Threads per block for every kernel; the reduction kernel assumes it. */
    static final int THREADS = 256;
    private static final int MAX_BLOCKS = 1 << 20;

    private Launcher() {
    }

    /** Enough blocks of {@link #THREADS} for {@code n} grid-stride iterations, capped. */
    static int blocksFor(long n) {
        return (int) Math.max(1, Math.min(MAX_BLOCKS, (n + THREADS - 1) / THREADS));
    }

    /** Launches {@code function} on {@code blocks} blocks of {@link #THREADS} threads. */
    static void launch(String what, CUfunc_st function, int blocks, Object... args) {
        try (PointerScope scope = new PointerScope()) {
            PointerPointer<Pointer> params = new PointerPointer<>(args.length);
            for (int i = 0; i < args.length; i++) {
                params.put(i, hostCopy(args[i]));
            }
            int code = cuLaunchKernel(function, blocks, 1, 1, THREADS, 1, 1, 0, (CUstream_st) null, params,
                    (PointerPointer<?>) null);
            CudaRuntime.check(code, "cuLaunchKernel(" + what + ")");
        }
    }

    private static Pointer hostCopy(Object arg) {
        if (arg instanceof Long v) {
            return new LongPointer(1).put(v);
        }
        if (arg instanceof Double v) {
            return new DoublePointer(1).put(v);
        }
        if (arg instanceof Float v) {
            return new FloatPointer(1).put(v);
        }
        if (arg instanceof Byte v) {
            return new BytePointer(1).put(v);
        }
        if (arg instanceof byte[] v) {
            return new BytePointer(v);
        }
        throw new IllegalArgumentException("Launcher: unsupported kernel argument " + arg);
    }
}
