package dev.descent.tensor.cpu;

import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

/**
 * Batched matrix products on OpenBLAS. Storage is a Java array, and JavaCPP's array overloads would
 * allocate, copy in and copy out on every call; instead each operand's span is copied into per-thread
 * off-heap scratch that is reused, and BLAS runs on pointers. A transposed view is passed as a transpose
 * flag with its leading dimension rather than made contiguous; only views whose strides BLAS cannot
 * express (no unit stride in either axis) are copied into a contiguous layout first.
 */
final class Gemm {
    static {
        Loader.load(openblas_nolapack.class);
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Gemm() {
    }

    static void setThreads(int n) {
        org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(n);
    }

    /** How BLAS reads one matrix: transposed or not, with which leading dimension, over which span. */
    private record Layout(boolean trans, int ld, int span) {
        /** The layout of a rows x cols view with strides (sr, sc), or null if BLAS cannot read it in place. */
        static Layout of(int rows, int cols, int sr, int sc) {
            if (sc == 1 && (rows <= 1 || sr >= Math.max(cols, 1))) {
                int ld = rows <= 1 ? Math.max(cols, 1) : sr;
                return new Layout(false, ld, (rows - 1) * ld + cols);
            }
            if (sr == 1 && (cols <= 1 || sc >= Math.max(rows, 1))) {
                int ld = cols <= 1 ? Math.max(rows, 1) : sc;
                return new Layout(true, ld, (cols - 1) * ld + rows);
            }
            return null;
        }
    }

    static void matmul(Tensor a, Tensor b, Tensor out) {
        int rank = out.dim();
        int m = out.size(rank - 2);
        int n = out.size(rank - 1);
        int k = a.size(rank - 1);
        if (m == 0 || n == 0 || k == 0) {
            return; // out is zero-filled already
        }
        Layout la = Layout.of(m, k, a.stride(rank - 2), a.stride(rank - 1));
        if (la == null) {
            a = a.contiguous();
            la = Layout.of(m, k, k, 1);
        }
        Layout lb = Layout.of(k, n, b.stride(rank - 2), b.stride(rank - 1));
        if (lb == null) {
            b = b.contiguous();
            lb = Layout.of(k, n, n, 1);
        }
        int batches = out.numel() / (m * n);
        int[] batchShape = java.util.Arrays.copyOf(out.shape().toArray(), rank - 2);
        int[] as = a.stride();
        int[] bs = b.stride();
        Scratch s = SCRATCH.get();
        s.reserve(out.dtype(), la.span, lb.span, m * n);
        int[] coord = new int[rank - 2];
        int lastA = -1;
        int lastB = -1;
        Object ax = ((CpuStorage) a.storage()).data;
        Object bx = ((CpuStorage) b.storage()).data;
        Object ox = ((CpuStorage) out.storage()).data;
        for (int batch = 0; batch < batches; batch++) {
            int aOff = a.offset();
            int bOff = b.offset();
            for (int d = 0; d < coord.length; d++) {
                aOff += coord[d] * as[d];
                bOff += coord[d] * bs[d];
            }
            // a broadcast operand (stride 0 over the batch) is copied once, not once per batch
            if (aOff != lastA) {
                s.putA(ax, aOff, la.span);
                lastA = aOff;
            }
            if (bOff != lastB) {
                s.putB(bx, bOff, lb.span);
                lastB = bOff;
            }
            s.gemm(la, lb, m, n, k);
            s.getC(ox, out.offset() + batch * m * n, m * n);
            for (int d = coord.length - 1; d >= 0; d--) {
                if (++coord[d] < batchShape[d]) {
                    break;
                }
                coord[d] = 0;
            }
        }
    }

    /**
     * {@code out = a b + bias} for a {@code [M, K]}, b {@code [K, N]} (any layouts BLAS reads), contiguous bias
     * {@code [N]} and contiguous out {@code [M, N]}: C's scratch starts as the bias in every row (one row copied
     * in, then doubled by native copies) and BLAS accumulates into it, so the bias costs no pass over a Java
     * array and no temporary.
     */
    static void matmulAddRow(Tensor a, Tensor b, Tensor bias, Tensor out) {
        int m = out.size(0);
        int n = out.size(1);
        int k = a.size(1);
        if (m == 0 || n == 0) {
            return;
        }
        Layout la = Layout.of(m, k, a.stride(0), a.stride(1));
        if (la == null) {
            a = a.contiguous();
            la = Layout.of(m, k, k, 1);
        }
        Layout lb = Layout.of(k, n, b.stride(0), b.stride(1));
        if (lb == null) {
            b = b.contiguous();
            lb = Layout.of(k, n, n, 1);
        }
        Scratch s = SCRATCH.get();
        s.reserve(out.dtype(), Math.max(la.span, 1), Math.max(lb.span, 1), m * n);
        if (k > 0) {
            s.putA(((CpuStorage) a.storage()).data, a.offset(), la.span);
            s.putB(((CpuStorage) b.storage()).data, b.offset(), lb.span);
        }
        s.fillRows(((CpuStorage) bias.storage()).data, bias.offset(), m, n);
        if (k > 0) {
            s.gemm(la, lb, m, n, k, n, true);
        }
        s.getC(((CpuStorage) out.storage()).data, out.offset(), m * n);
    }

    /**
     * This thread's BLAS scratch with room for operands of {@code sizeA}, {@code sizeB} and {@code sizeC}
     * elements of {@code dtype}, for kernels that lay out their operands in it themselves (convolution): they
     * write A and B through {@link Scratch#viewA()} and {@link Scratch#viewB()}, multiply with
     * {@link Scratch#gemmAt}, and read C through {@link Scratch#viewC()}, so no operand is copied twice. The
     * contents are undefined until written; the next BLAS call on this thread may overwrite them.
     */
    static Scratch scratch(DType dtype, int sizeA, int sizeB, int sizeC) {
        Scratch s = SCRATCH.get();
        s.reserve(dtype, Math.max(sizeA, 1), Math.max(sizeB, 1), Math.max(sizeC, 1));
        return s;
    }

    /** Per-thread off-heap operand buffers, grown on demand and reused. */
    static final class Scratch {
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

        void putA(Object src, int off, int len) {
            put(isFloat ? fa : da, src, off, len);
        }

        void putB(Object src, int off, int len) {
            put(isFloat ? fb : db, src, off, len);
        }

        private static void put(Pointer p, Object src, int off, int len) {
            if (p instanceof FloatPointer f) {
                f.position(0).put((float[]) src, off, len);
            } else {
                ((DoublePointer) p).position(0).put((double[]) src, off, len);
            }
        }

        void putC(Object src, int off, int len) {
            put(isFloat ? fc : dc, src, off, len);
        }

        /** C's first {@code rows * n} elements: the n values of {@code row} repeated, doubling the filled part. */
        void fillRows(Object row, int off, int rows, int n) {
            Pointer c = isFloat ? fc : dc;
            putC(row, off, n);
            long elementBytes = isFloat ? Float.BYTES : Double.BYTES;
            for (long done = 1; done < rows; done *= 2) {
                long copy = Math.min(done, rows - done);
                Pointer.memcpy(c.getPointer(done * n), c.position(0), copy * n * elementBytes);
            }
        }

        void getC(Object dst, int off, int len) {
            if (isFloat) {
                fc.position(0).get((float[]) dst, off, len);
            } else {
                dc.position(0).get((double[]) dst, off, len);
            }
        }

        void gemm(Layout la, Layout lb, int m, int n, int k) {
            int ta = la.trans ? CblasTrans : CblasNoTrans;
            int tb = lb.trans ? CblasTrans : CblasNoTrans;
            if (isFloat) {
                openblas_nolapack.cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1f, fa, la.ld, fb, lb.ld, 0f, fc, n);
            } else {
                openblas_nolapack.cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, da, la.ld, db, lb.ld, 0.0, dc, n);
            }
        }

        /** As {@link #gemm(Layout, Layout, int, int, int)} with C's leading dimension and beta 0 or 1. */
        void gemm(Layout la, Layout lb, int m, int n, int k, int ldc, boolean accumulate) {
            int ta = la.trans ? CblasTrans : CblasNoTrans;
            int tb = lb.trans ? CblasTrans : CblasNoTrans;
            // BLAS requires lda >= 1 even when k == 0
            int lda = Math.max(la.ld, 1);
            int ldb = Math.max(lb.ld, 1);
            if (isFloat) {
                openblas_nolapack.cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1f, fa, lda, fb, ldb,
                        accumulate ? 1f : 0f, fc, ldc);
            } else {
                openblas_nolapack.cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, da, lda, db, ldb,
                        accumulate ? 1.0 : 0.0, dc, ldc);
            }
        }
    }
}
