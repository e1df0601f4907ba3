package dev.descent.tensor.cpu;

import java.io.File;
import java.io.IOException;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS's GEMM on the tensors' own Java arrays, through a small JNI bridge ({@code src/main/c/descent_blas.c},
 * compiled with the module when gcc is there) that pins the arrays for the duration of the call
 * ({@code GetPrimitiveArrayCritical}) instead of copying them: storage stays a Java array owned by the GC
 * (DESIGN §2), and the product reads and writes it in place. OpenBLAS itself is JavaCPP's; the bridge receives
 * the address of {@code cblas_sgemm}/{@code cblas_dgemm} from JavaCPP's loader.
 *
 * <p>When the bridge is missing (built without gcc, or another platform) or fails to load, {@link #active()} is
 * false and {@link Gemm} copies operands through off-heap scratch instead: slower, same products.
 * {@link #problem()} says why. The system property {@code descent.gemm.copy=true} chooses the copying path.
 *
 * <p>While a product runs, the garbage collector waits for it (HotSpot's critical regions); a product holds no
 * lock and calls nothing else meanwhile.
 */
final class NativeGemm {
    private static final String LIBRARY = "linux-x86_64/libdescent_blas.so";
    private static final long SGEMM;
    private static final long DGEMM;
    private static final String PROBLEM;
    private static volatile boolean enabled = !Boolean.getBoolean("descent.gemm.copy");

    static {
        long s = 0;
        long d = 0;
        String problem = null;
        try {
            Loader.load(openblas_nolapack.class);
            if (NativeGemm.class.getResource(LIBRARY) == null) {
                problem = "the bridge " + LIBRARY + " was not built (no gcc or JNI headers when Descent was"
                        + " compiled, or not Linux x86_64)";
            } else {
                File file = Loader.cacheResource(NativeGemm.class, LIBRARY);
                System.load(file.getAbsolutePath());
                s = address("cblas_sgemm");
                d = address("cblas_dgemm");
                if (s == 0 || d == 0) {
                    problem = "cblas_sgemm or cblas_dgemm not found in JavaCPP's OpenBLAS";
                }
            }
        } catch (IOException | LinkageError | RuntimeException e) {
            problem = "the bridge failed to load: " + e;
        }
        SGEMM = s;
        DGEMM = d;
        PROBLEM = problem;
    }

    private NativeGemm() {
    }

    private static long address(String symbol) {
        Pointer p = Loader.addressof(symbol);
        return p == null ? 0 : p.address();
    }

    /** Whether products run on the arrays in place: the bridge loaded and the copying path was not chosen. */
    static boolean active() {
        return PROBLEM == null && enabled;
    }

    /** Why the bridge is not available, or null when it is. */
    static String problem() {
        return PROBLEM;
    }

    /** Chooses the in-place path (when available) or the copying one; for tests that compare the two. */
    static void setEnabled(boolean inPlace) {
        enabled = inPlace;
    }

    /**
     * {@code C = op(A) op(B) + beta C} (alpha 1) for {@code count} products of one shape, the i-th reading A from
     * {@code offsets[3i]}, B from {@code offsets[3i + 1]} and writing C from {@code offsets[3i + 2]}; arrays
     * are {@code float[]} or {@code double[]}, all of the same type. Row-major, as {@code cblas_?gemm}.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, Object a, int lda, Object b, int ldb,
                     double beta, Object c, int ldc, int[] offsets, int count) {
        if (c instanceof float[] fc) {
            sgemm(SGEMM, transA, transB, m, n, k, (float[]) a, lda, (float[]) b, ldb, (float) beta, fc, ldc, offsets,
                    count);
        } else {
            dgemm(DGEMM, transA, transB, m, n, k, (double[]) a, lda, (double[]) b, ldb, beta, (double[]) c, ldc,
                    offsets, count);
        }
    }

    private static native void sgemm(long fn, boolean transA, boolean transB, int m, int n, int k, float[] a, int lda,
                                     float[] b, int ldb, float beta, float[] c, int ldc, int[] offsets, int count);

    private static native void dgemm(long fn, boolean transA, boolean transB, int m, int n, int k, double[] a,
                                     int lda, double[] b, int ldb, double beta, double[] c, int ldc, int[] offsets,
                                     int count);
}
