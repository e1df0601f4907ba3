package dev.descent.tensor.cpu;

import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Batched matrix products on OpenBLAS. Storage is a Java array, and JavaCPP's array overloads would
 * allocate, copy in and copy out on every call; instead the operands are copied into per-thread off-heap
 * scratch ({@link BlasScratch}) that is reused, and BLAS runs on pointers. A transposed view is passed as a
 * transpose flag with its leading dimension rather than made contiguous; a view whose lines are spread out
 * (an attention head inside a wider projection) has only its lines copied, packed; only views whose strides
 * BLAS cannot express (no unit stride in either axis) are made contiguous first. A batch is laid out in
 * scratch many matrices at a time, so that its product costs a few large copies rather than three per matrix.
 */
final class Gemm {
    static {
        NativeLibrary.problem(); // our library first: it sets OpenBLAS's thread timeout before OpenBLAS loads
        Loader.load(openblas_nolapack.class);
    }

    private static final ThreadLocal<BlasScratch> SCRATCH = ThreadLocal.withInitial(BlasScratch::new);
    /** Elements of A, B and C together that one round of a batched product lays out in scratch. */
    private static final long ROUND_ELEMENTS = 1L << 22;
    /** Lines shorter than this are copied with the gaps between them, in one move, rather than one by one. */
    private static final int MIN_PACKED_LINE = 16;

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

        /** The layout of the rows x cols matrix of t's last two axes, made contiguous if BLAS cannot read it. */
        static Tensor readable(Tensor t, int rows, int cols) {
            int r = t.dim();
            return of(rows, cols, t.stride(r - 2), t.stride(r - 1)) == null ? t.contiguous() : t;
        }
    }

    /**
     * How one operand is moved into scratch: its source layout, whether its lines (rows, or columns when
     * transposed) are packed together, and the elements one matrix takes there.
     */
    private record Placement(Layout source, boolean packed, int lines, int lineLength, int slot) {
        /** The placement of the matrix of t's last two axes, t as {@link Layout#readable} left it. */
        static Placement of(Tensor t, int rows, int cols) {
            int r = t.dim();
            Layout l = Layout.of(rows, cols, t.stride(r - 2), t.stride(r - 1));
            if (l == null) {
                // contiguous, with strides of size-1 axes that BLAS's rules do not accept
                l = Layout.of(rows, cols, cols, 1);
            }
            int lines = l.trans ? cols : rows;
            int lineLength = l.trans ? rows : cols;
            boolean packed = lines > 1 && l.ld > lineLength && lineLength >= MIN_PACKED_LINE;
            return new Placement(l, packed, lines, lineLength, packed ? lines * lineLength : l.span);
        }

        /** The leading dimension in scratch. */
        int ld() {
            return packed ? lineLength : source.ld;
        }

        /** Copies the matrix that starts at {@code src[off]} into {@code dst} from {@code at}. */
        void copy(Object src, int off, Buffer dst, int at) {
            if (!packed) {
                ConvColumns.put(src, off, dst, at, source.span);
                return;
            }
            for (int line = 0; line < lines; line++) {
                ConvColumns.put(src, off + line * source.ld, dst, at + line * lineLength, lineLength);
            }
        }
    }

    /** {@code out = a b} over broadcast batch axes; {@code out} is contiguous and zero-filled. */
    static void matmul(Tensor a, Tensor b, Tensor out) {
        int rank = out.dim();
        int m = out.size(rank - 2);
        int n = out.size(rank - 1);
        int k = a.size(rank - 1);
        if (m == 0 || n == 0 || k == 0) {
            return; // out is zero-filled already
        }
        a = Layout.readable(a, m, k);
        b = Layout.readable(b, k, n);
        Placement pa = Placement.of(a, m, k);
        Placement pb = Placement.of(b, k, n);
        int batches = out.numel() / (m * n);
        int[] aOffsets = new int[batches];
        int[] bOffsets = new int[batches];
        batchOffsets(a, b, out, aOffsets, bOffsets);
        Object ax = ((CpuStorage) a.storage()).data;
        Object bx = ((CpuStorage) b.storage()).data;
        Object ox = ((CpuStorage) out.storage()).data;
        if (NativeGemm.active()) {
            int[] triples = new int[3 * batches];
            for (int i = 0; i < batches; i++) {
                triples[3 * i] = aOffsets[i];
                triples[3 * i + 1] = bOffsets[i];
                triples[3 * i + 2] = out.offset() + i * m * n;
            }
            if (m == 1 || n == 1) {
                vectorProducts(pa.source, ax, pb.source, bx, m, n, k, ox, triples);
            } else {
                inPlace(pa.source, ax, pb.source, bx, m, n, k, 0, ox, triples);
            }
            return;
        }
        long perMatrix = (long) pa.slot + pb.slot + (long) m * n;
        int round = (int) Math.max(1, Math.min(batches, ROUND_ELEMENTS / perMatrix));
        BlasScratch s = SCRATCH.get();
        for (int b0 = 0; b0 < batches; b0 += round) {
            int count = Math.min(batches - b0, round);
            s.reserve(out.dtype(), pa.slot * count, pb.slot * count, m * n * count);
            int[] atA = place(pa, ax, aOffsets, b0, count, s.viewA());
            int[] atB = place(pb, bx, bOffsets, b0, count, s.viewB());
            for (int i = 0; i < count; i++) {
                s.gemmAt(pa.source.trans, atA[i], pa.ld(), pb.source.trans, atB[i], pb.ld(), m, n, k,
                        i * m * n, n, false);
            }
            ConvColumns.get(s.viewC(), 0, ox, out.offset() + b0 * m * n, count * m * n);
        }
    }

    /**
     * The products of {@code triples} (A, B and C offsets) on the arrays in place, {@code C = A B + beta C} with C
     * contiguous rows of n, every span checked first ({@link #checkSpans}).
     */
    private static void inPlace(Layout la, Object ax, Layout lb, Object bx, int m, int n, int k, double beta,
                                Object ox, int[] triples) {
        checkSpans(la, ax, lb, bx, m * n, ox, triples);
        NativeGemm.gemm(la.trans, lb.trans, m, n, k, ax, Math.max(la.ld, 1), bx, Math.max(lb.ld, 1), beta, ox, n,
                triples, triples.length / 3);
    }

    /**
     * Products with one row ({@code [1, K] [K, N]}) or one column ({@code [M, K] [K, 1]}) as GEMV on the arrays in
     * place: GEMM would pack the whole matrix operand (a bias gradient, {@code ones^T G}, took 2.7 times as long).
     * The vector's stride is its layout's: 1 along a row, the leading dimension across lines.
     */
    private static void vectorProducts(Layout la, Object ax, Layout lb, Object bx, int m, int n, int k, Object ox,
                                       int[] triples) {
        boolean rowTimesMatrix = m == 1;
        Layout matrix = rowTimesMatrix ? lb : la;
        Layout vector = rowTimesMatrix ? la : lb;
        // a vector read along its line has stride 1; across lines (a row of a transposed view, a column of a
        // row-major one) its stride is the leading dimension
        int inc = vector.trans == rowTimesMatrix ? Math.max(vector.ld, 1) : 1;
        checkSpans(la, ax, lb, bx, m * n, ox, triples);
        int[] gemv = new int[triples.length];
        for (int i = 0; i < triples.length; i += 3) {
            gemv[i] = triples[i + (rowTimesMatrix ? 1 : 0)];
            gemv[i + 1] = triples[i + (rowTimesMatrix ? 0 : 1)];
            gemv[i + 2] = triples[i + 2];
        }
        // y = B^T x for a row times B [K, N]; y = A x for A [M, K] times a column; a transposed matrix swaps both
        boolean trans = rowTimesMatrix != matrix.trans;
        int rows = matrix.trans == rowTimesMatrix ? (rowTimesMatrix ? n : m) : k;
        int cols = matrix.trans == rowTimesMatrix ? k : (rowTimesMatrix ? n : m);
        NativeGemm.gemv(trans, rows, cols, rowTimesMatrix ? bx : ax, Math.max(matrix.ld, 1), rowTimesMatrix ? ax : bx,
                inc, ox, gemv, gemv.length / 3);
    }

    /**
     * That every product of {@code triples} (A, B and C offsets) reads and writes inside its arrays: the bridge
     * works on raw memory, so a wrong offset must fail here rather than corrupt the heap.
     */
    private static void checkSpans(Layout la, Object ax, Layout lb, Object bx, int spanC, Object ox, int[] triples) {
        int lengthA = java.lang.reflect.Array.getLength(ax);
        int lengthB = java.lang.reflect.Array.getLength(bx);
        int lengthC = java.lang.reflect.Array.getLength(ox);
        for (int i = 0; i < triples.length; i += 3) {
            within("A", triples[i], la.span, lengthA);
            within("B", triples[i + 1], lb.span, lengthB);
            within("C", triples[i + 2], spanC, lengthC);
        }
    }

    private static void within(String operand, int offset, int span, int length) {
        if (offset < 0 || (long) offset + span > length) {
            throw new IllegalStateException("matmul: operand " + operand + " spans [" + offset + ", "
                    + ((long) offset + span) + ") of an array of " + length + " elements");
        }
    }

    /** Where each batch's matrix of a and of b starts in its storage (broadcast axes have stride 0). */
    private static void batchOffsets(Tensor a, Tensor b, Tensor out, int[] aOffsets, int[] bOffsets) {
        int[] batchShape = java.util.Arrays.copyOf(out.shape().toArray(), out.dim() - 2);
        int[] as = a.stride();
        int[] bs = b.stride();
        int[] coord = new int[batchShape.length];
        for (int batch = 0; batch < aOffsets.length; batch++) {
            int aOff = a.offset();
            int bOff = b.offset();
            for (int d = 0; d < coord.length; d++) {
                aOff += coord[d] * as[d];
                bOff += coord[d] * bs[d];
            }
            aOffsets[batch] = aOff;
            bOffsets[batch] = bOff;
            for (int d = coord.length - 1; d >= 0; d--) {
                if (++coord[d] < batchShape[d]) {
                    break;
                }
                coord[d] = 0;
            }
        }
    }

    /**
     * Copies the matrices of batches {@code b0 .. b0 + count} into {@code dst} one after another, a matrix
     * that starts where the previous batch's did (a broadcast operand) only once; returns where each starts.
     */
    private static int[] place(Placement p, Object src, int[] offsets, int b0, int count, Buffer dst) {
        int[] at = new int[count];
        int next = 0;
        for (int i = 0; i < count; i++) {
            if (i > 0 && offsets[b0 + i] == offsets[b0 + i - 1]) {
                at[i] = at[i - 1];
                continue;
            }
            at[i] = next;
            p.copy(src, offsets[b0 + i], dst, next);
            next += p.slot;
        }
        return at;
    }

    /**
     * {@code out = a b + bias} for a {@code [M, K]}, b {@code [K, N]} (any layouts BLAS reads), contiguous bias
     * {@code [N]} and contiguous out {@code [M, N]}: the bias is added to each row of the product as the row
     * is copied out of scratch, while it is in cache, so it costs no pass of its own and no temporary.
     */
    static void matmulAddRow(Tensor a, Tensor b, Tensor bias, Tensor out) {
        int m = out.size(0);
        int n = out.size(1);
        int k = a.size(1);
        if (m == 0 || n == 0) {
            return;
        }
        Object ox = ((CpuStorage) out.storage()).data;
        Object biasData = ((CpuStorage) bias.storage()).data;
        BlasScratch s = SCRATCH.get();
        if (k == 0) {
            for (int r = 0; r < m; r++) {
                System.arraycopy(biasData, bias.offset(), ox, out.offset() + r * n, n);
            }
            return;
        }
        a = Layout.readable(a, m, k);
        b = Layout.readable(b, k, n);
        Placement pa = Placement.of(a, m, k);
        Placement pb = Placement.of(b, k, n);
        if (NativeGemm.active()) {
            // C starts as the bias in every row, and BLAS adds the product to it
            for (int r = 0; r < m; r++) {
                System.arraycopy(biasData, bias.offset(), ox, out.offset() + r * n, n);
            }
            inPlace(pa.source, ((CpuStorage) a.storage()).data, pb.source, ((CpuStorage) b.storage()).data, m, n, k,
                    1, ox, new int[] {a.offset(), b.offset(), out.offset()});
            return;
        }
        s.reserve(out.dtype(), pa.slot, pb.slot, m * n);
        pa.copy(((CpuStorage) a.storage()).data, a.offset(), s.viewA(), 0);
        pb.copy(((CpuStorage) b.storage()).data, b.offset(), s.viewB(), 0);
        s.gemmAt(pa.source.trans, 0, pa.ld(), pb.source.trans, 0, pb.ld(), m, n, k, 0, n, false);
        if (out.dtype() == DType.FLOAT32) {
            rowsPlusBias((FloatBuffer) s.viewC(), (float[]) ox, out.offset(), (float[]) biasData, bias.offset(), m, n);
        } else {
            rowsPlusBias((DoubleBuffer) s.viewC(), (double[]) ox, out.offset(), (double[]) biasData, bias.offset(),
                    m, n);
        }
    }

    private static void rowsPlusBias(FloatBuffer c, float[] out, int oo, float[] bias, int bo, int m, int n) {
        for (int r = 0; r < m; r++) {
            int row = oo + r * n;
            c.get(r * n, out, row, n);
            for (int j = 0; j < n; j++) {
                out[row + j] += bias[bo + j];
            }
        }
    }

    private static void rowsPlusBias(DoubleBuffer c, double[] out, int oo, double[] bias, int bo, int m, int n) {
        for (int r = 0; r < m; r++) {
            int row = oo + r * n;
            c.get(r * n, out, row, n);
            for (int j = 0; j < n; j++) {
                out[row + j] += bias[bo + j];
            }
        }
    }

    /**
     * This thread's BLAS scratch with room for operands of {@code sizeA}, {@code sizeB} and {@code sizeC}
     * elements of {@code dtype}, for kernels that lay out their operands in it themselves (convolution): they
     * write A and B through {@link BlasScratch#viewA()} and {@link BlasScratch#viewB()}, multiply with
     * {@link BlasScratch#gemmAt}, and read C through {@link BlasScratch#viewC()}, so no operand is copied
     * twice. The contents are undefined until written; the next BLAS call on this thread may overwrite them.
     */
    static BlasScratch scratch(DType dtype, int sizeA, int sizeB, int sizeC) {
        BlasScratch s = SCRATCH.get();
        s.reserve(dtype, Math.max(sizeA, 1), Math.max(sizeB, 1), Math.max(sizeC, 1));
        return s;
    }
}
