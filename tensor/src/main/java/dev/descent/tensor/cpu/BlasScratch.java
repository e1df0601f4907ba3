package dev.descent.tensor.cpu;

import dev.descent.tensor.DType;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

/**
 * One thread's off-heap operand buffers for BLAS (A, B and C, FLOAT32 or FLOAT64), grown on demand and reused:
 * {@link Gemm} and the convolution kernels lay out their operands here and multiply on pointers, since
 * JavaCPP's array overloads would allocate and copy on every call.
 */
final class BlasScratch {
    private FloatPointer fa = new FloatPointer(0L);
    private FloatPointer fb = new FloatPointer(0L);
    private FloatPointer fc = new FloatPointer(0L);
    private DoublePointer da = new DoublePointer(0L);
    private DoublePointer db = new DoublePointer(0L);
    private DoublePointer dc = new DoublePointer(0L);
    private boolean isFloat;
    private FloatBuffer fav;
    private FloatBuffer fbv;
    private FloatBuffer fcv;
    private DoubleBuffer dav;
    private DoubleBuffer dbv;
    private DoubleBuffer dcv;

    /**
     * Makes room for {@code spanA}, {@code spanB} and {@code sizeC} elements of {@code dtype} in A, B and C;
     * the contents are undefined until written (a grown buffer is a new allocation).
     */
    void reserve(DType dtype, int spanA, int spanB, int sizeC) {
        isFloat = dtype == DType.FLOAT32;
        // a grown buffer is a new allocation, so its view is made again when asked for
        if (isFloat) {
            fav = fa == (fa = grow(fa, spanA)) ? fav : null;
            fbv = fb == (fb = grow(fb, spanB)) ? fbv : null;
            fcv = fc == (fc = grow(fc, sizeC)) ? fcv : null;
        } else {
            dav = da == (da = grow(da, spanA)) ? dav : null;
            dbv = db == (db = grow(db, spanB)) ? dbv : null;
            dcv = dc == (dc = grow(dc, sizeC)) ? dcv : null;
        }
    }

    /** A's buffer as a {@link FloatBuffer} or {@link DoubleBuffer} (by the reserved dtype), indexed from 0. */
    Buffer viewA() {
        if (isFloat) {
            return fav = view(fa, fav);
        }
        return dav = view(da, dav);
    }

    /** B's buffer, as {@link #viewA()}. */
    Buffer viewB() {
        if (isFloat) {
            return fbv = view(fb, fbv);
        }
        return dbv = view(db, dbv);
    }

    /** C's buffer, as {@link #viewA()}. */
    Buffer viewC() {
        if (isFloat) {
            return fcv = view(fc, fcv);
        }
        return dcv = view(dc, dcv);
    }

    /** A view of all of p: v, made when p was allocated, or a new one. */
    private static FloatBuffer view(FloatPointer p, FloatBuffer v) {
        return v != null ? v : p.position(0).asBuffer();
    }

    private static DoubleBuffer view(DoublePointer p, DoubleBuffer v) {
        return v != null ? v : p.position(0).asBuffer();
    }

    /**
     * {@code C[cAt..] = op(A[aAt..]) op(B[bAt..])}, or {@code +=} when {@code accumulate}, on this scratch's
     * buffers with the given leading dimensions.
     */
    void gemmAt(boolean transA, int aAt, int lda, boolean transB, int bAt, int ldb, int m, int n, int k,
                int cAt, int ldc, boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        int ta = transA ? CblasTrans : CblasNoTrans;
        int tb = transB ? CblasTrans : CblasNoTrans;
        lda = Math.max(lda, 1);
        ldb = Math.max(ldb, 1);
        ldc = Math.max(ldc, 1);
        if (isFloat) {
            openblas_nolapack.cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1f, fa.position(aAt), lda,
                    fb.position(bAt), ldb, accumulate ? 1f : 0f, fc.position(cAt), ldc);
            fa.position(0);
            fb.position(0);
            fc.position(0);
        } else {
            openblas_nolapack.cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, da.position(aAt), lda,
                    db.position(bAt), ldb, accumulate ? 1.0 : 0.0, dc.position(cAt), ldc);
            da.position(0);
            db.position(0);
            dc.position(0);
        }
    }

    private static FloatPointer grow(FloatPointer p, int size) {
        if (p.capacity() >= size) {
            return p;
        }
        p.close();
        return new FloatPointer((long) Math.max(size, 1024));
    }

    private static DoublePointer grow(DoublePointer p, int size) {
        if (p.capacity() >= size) {
            return p;
        }
        p.close();
        return new DoublePointer((long) Math.max(size, 1024));
    }
}
