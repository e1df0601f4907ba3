package dev.descent.tensor.cpu;

/**
 * OpenBLAS's GEMM and GEMV on the tensors' own Java arrays, through a small JNI bridge ({@code src/main/c/descent_blas.c},
 * part of {@link NativeLibrary}) that pins the arrays for the duration of the call
 * ({@code GetPrimitiveArrayCritical}) instead of copying them: storage stays a Java array owned by the GC
 * (DESIGN §2), and the product reads and writes it in place. OpenBLAS itself is JavaCPP's; the bridge receives
 * the addresses of {@code cblas_?gemm} and {@code cblas_?gemv} from JavaCPP's loader.
 *
 * <p>When the bridge is missing (built without gcc, or another platform) or fails to load, {@link #active()} is
 * false and {@link Gemm} copies operands through off-heap scratch instead: slower, same products.
 * {@link #problem()} says why. The system property {@code descent.gemm.copy=true} chooses the copying path.
 *
 * <p>While a product runs, the garbage collector waits for it (HotSpot's critical regions); a product holds no
 * lock and calls nothing else meanwhile.
 */
final class NativeGemm {
    private static final long SGEMM = NativeLibrary.address("cblas_sgemm");
    private static final long DGEMM = NativeLibrary.address("cblas_dgemm");
    private static final long SGEMV = NativeLibrary.address("cblas_sgemv");
    private static final long DGEMV = NativeLibrary.address("cblas_dgemv");
    private static final String PROBLEM = NativeLibrary.problem() != null ? NativeLibrary.problem()
            : SGEMM == 0 || DGEMM == 0 || SGEMV == 0 || DGEMV == 0
            ? "cblas_?gemm or cblas_?gemv not found in JavaCPP's OpenBLAS" : null;
    private static volatile boolean enabled = !Boolean.getBoolean("descent.gemm.copy");

    private NativeGemm() {
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

    /**
     * {@code y = op(A) x} (alpha 1, beta 0) for {@code count} products, A an m x n row-major matrix with leading
     * dimension lda, x read with stride incx, y contiguous; offsets as {@link #gemm}'s (A, x, y).
     */
    static void gemv(boolean trans, int m, int n, Object a, int lda, Object x, int incx, Object y, int[] offsets,
                     int count) {
        if (y instanceof float[] fy) {
            sgemv(SGEMV, trans, m, n, (float[]) a, lda, (float[]) x, incx, fy, offsets, count);
        } else {
            dgemv(DGEMV, trans, m, n, (double[]) a, lda, (double[]) x, incx, (double[]) y, offsets, count);
        }
    }

    private static native void sgemv(long fn, boolean trans, int m, int n, float[] a, int lda, float[] x, int incx,
                                     float[] y, int[] offsets, int count);

    private static native void dgemv(long fn, boolean trans, int m, int n, double[] a, int lda, double[] x, int incx,
                                     double[] y, int[] offsets, int count);

    private static native void sgemm(long fn, boolean transA, boolean transB, int m, int n, int k, float[] a, int lda,
                                     float[] b, int ldb, float beta, float[] c, int ldc, int[] offsets, int count);

    private static native void dgemm(long fn, boolean transA, boolean transB, int m, int n, int k, double[] a,
                                     int lda, double[] b, int ldb, double beta, double[] c, int ldc, int[] offsets,
                                     int count);
}
