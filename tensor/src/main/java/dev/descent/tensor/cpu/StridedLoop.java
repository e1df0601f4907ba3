package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * Iterates over several strided operands of one shape at once. Dimensions of size 1 are dropped and
 * neighbouring dimensions that are contiguous with each other in every operand are merged, so a dense
 * tensor becomes one long run; the loop then hands out runs ("segments") along the innermost dimension,
 * each with every operand's starting offset and its stride within the run. Large iterations are split
 * across the thread pool at arbitrary flat positions.
 */
final class StridedLoop {
    /** One run of {@code length} elements; {@code offsets[k]} is operand k's first element. */
    interface Segment {
        void run(int[] offsets, int length);
    }

    private final int[] dims;
    private final int[][] strides;
    private final int[] bases;
    private final int numel;

    private StridedLoop(int[] dims, int[][] strides, int[] bases) {
        this.dims = dims;
        this.strides = strides;
        this.bases = bases;
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        this.numel = (int) n;
    }

    /** A loop over tensors of one shape (already broadcast). */
    static StridedLoop of(Tensor... operands) {
        int[] shape = operands[0].shape().toArray();
        int[][] strides = new int[operands.length][];
        int[] bases = new int[operands.length];
        for (int k = 0; k < operands.length; k++) {
            strides[k] = operands[k].stride();
            bases[k] = operands[k].offset();
        }
        return of(shape, strides, bases);
    }

    /** A loop over raw layouts: one shape, per-operand strides and base offsets. */
    static StridedLoop of(int[] shape, int[][] strides, int[] bases) {
        int ops = strides.length;
        int[] dims = new int[shape.length];
        int[][] st = new int[ops][shape.length];
        int rank = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) {
                continue;
            }
            if (rank > 0 && mergeable(st, rank - 1, strides, d, shape[d])) {
                dims[rank - 1] *= shape[d];
                for (int k = 0; k < ops; k++) {
                    st[k][rank - 1] = strides[k][d];
                }
                continue;
            }
            dims[rank] = shape[d];
            for (int k = 0; k < ops; k++) {
                st[k][rank] = strides[k][d];
            }
            rank++;
        }
        for (int d : shape) {
            if (d == 0) {
                return new StridedLoop(new int[] {0}, new int[ops][1], bases.clone());
            }
        }
        if (rank == 0) {
            return new StridedLoop(new int[] {1}, new int[ops][1], bases.clone());
        }
        int[] finalDims = java.util.Arrays.copyOf(dims, rank);
        int[][] finalStrides = new int[ops][];
        for (int k = 0; k < ops; k++) {
            finalStrides[k] = java.util.Arrays.copyOf(st[k], rank);
        }
        return new StridedLoop(finalDims, finalStrides, bases.clone());
    }

    /** Whether collapsed dimension {@code outer} can absorb dimension d (size n) in every operand. */
    private static boolean mergeable(int[][] st, int outer, int[][] strides, int d, int n) {
        for (int k = 0; k < st.length; k++) {
            if (st[k][outer] != strides[k][d] * n) {
                return false;
            }
        }
        return true;
    }

    int numel() {
        return numel;
    }

    /** Operand k's stride along the innermost (run) dimension. */
    int innerStride(int k) {
        return strides[k][dims.length - 1];
    }

    /** Calls {@code body} for every run, in parallel when the loop is large. */
    void forEach(Segment body) {
        forEach(Parallel.GRAIN, body);
    }

    /** As {@link #forEach(Segment)} with a custom parallel grain (smaller for costly per-element work). */
    void forEach(int grain, Segment body) {
        if (numel == 0) {
            return;
        }
        Parallel.forRange(numel, grain, (start, end) -> range(start, end, body));
    }

    /**
     * Copies operand 1's elements into operand 0's (same element type, both with unit inner stride), one
     * {@code System.arraycopy} per run, stepping the offsets itself: the per-run bookkeeping of
     * {@link #forEach} costs about as much as a short run's copy (a head's 32 values when a gradient is
     * gathered across heads).
     */
    void copyRuns(Object src, Object dst) {
        if (numel == 0) {
            return;
        }
        int rank = dims.length;
        int inner = dims[rank - 1];
        int rows = numel / inner;
        Parallel.forRange(rows, Math.max(1, Parallel.GRAIN / inner), (r0, r1) -> {
            int[] coord = new int[rank];
            int d = bases[0];
            int s = bases[1];
            int rest = r0;
            for (int k = rank - 2; k >= 0; k--) {
                coord[k] = rest % dims[k];
                rest /= dims[k];
                d += coord[k] * strides[0][k];
                s += coord[k] * strides[1][k];
            }
            for (int r = r0; r < r1; r++) {
                System.arraycopy(src, s, dst, d, inner);
                for (int k = rank - 2; k >= 0; k--) {
                    d += strides[0][k];
                    s += strides[1][k];
                    if (++coord[k] < dims[k]) {
                        break;
                    }
                    d -= dims[k] * strides[0][k];
                    s -= dims[k] * strides[1][k];
                    coord[k] = 0;
                }
            }
        });
    }

    /** Runs the flat positions [start, end) as segments. */
    private void range(int start, int end, Segment body) {
        int rank = dims.length;
        int ops = bases.length;
        int[] coord = new int[rank];
        int[] offsets = bases.clone();
        int rest = start;
        for (int d = rank - 1; d >= 0; d--) {
            coord[d] = rest % dims[d];
            rest /= dims[d];
            for (int k = 0; k < ops; k++) {
                offsets[k] += coord[d] * strides[k][d];
            }
        }
        int inner = rank - 1;
        int[] view = new int[ops];
        int pos = start;
        while (pos < end) {
            int len = Math.min(dims[inner] - coord[inner], end - pos);
            System.arraycopy(offsets, 0, view, 0, ops);
            body.run(view, len);
            pos += len;
            coord[inner] += len;
            for (int k = 0; k < ops; k++) {
                offsets[k] += len * strides[k][inner];
            }
            for (int d = inner; d > 0 && coord[d] == dims[d]; d--) {
                coord[d] = 0;
                coord[d - 1]++;
                for (int k = 0; k < ops; k++) {
                    offsets[k] += strides[k][d - 1] - dims[d] * strides[k][d];
                }
            }
        }
    }
}
