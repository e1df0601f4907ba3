package dev.descent.tensor;

import java.util.Arrays;

/** Stride arithmetic for the views that share storage: reshape, permute, expand, slicing. */
final class Views {
    private Views() {
    }

    /** Resolves one {@code -1} in a requested shape against {@code numel}. */
    static int[] inferShape(String op, Shape from, int[] requested) {
        int[] dims = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": only one dimension can be -1 in " + Arrays.toString(requested));
                }
                infer = i;
            } else if (dims[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid size " + dims[i] + " in " + Arrays.toString(requested));
            } else {
                known *= dims[i];
            }
        }
        int n = from.numel();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + Arrays.toString(requested)
                        + " is invalid for a tensor of shape " + from + " (" + n + " elements)");
            }
            dims[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(requested)
                    + " is invalid for a tensor of shape " + from + " (" + n + " elements)");
        }
        return dims;
    }

    /**
     * Strides that view a tensor of {@code oldShape}/{@code oldStrides} as {@code newShape} without copying,
     * or null when no such strides exist. Walks the old dimensions from the innermost, grouping runs that are
     * contiguous with each other, and requires every new dimension to fall inside one run.
     */
    static int[] viewStrides(int[] oldShape, int[] oldStrides, int[] newShape) {
        int[] newStrides = new int[newShape.length];
        long numel = 1;
        for (int d : oldShape) {
            numel *= d;
        }
        if (numel == 0 || oldShape.length == 0) {
            return Shape.contiguousStrides(newShape);
        }
        int viewDim = newShape.length - 1;
        long chunkStride = oldStrides[oldShape.length - 1];
        long oldNumel = 1;
        long newNumel = 1;
        for (int d = oldShape.length - 1; d >= 0; d--) {
            oldNumel *= oldShape[d];
            boolean chunkEnds = d == 0
                    || (oldShape[d - 1] != 1 && oldStrides[d - 1] != oldNumel * chunkStride);
            if (chunkEnds) {
                while (viewDim >= 0 && (newNumel < oldNumel || newShape[viewDim] == 1)) {
                    newStrides[viewDim] = (int) (newNumel * chunkStride);
                    newNumel *= newShape[viewDim];
                    viewDim--;
                }
                if (newNumel != oldNumel) {
                    return null;
                }
                if (d > 0) {
                    chunkStride = oldStrides[d - 1];
                    oldNumel = 1;
                    newNumel = 1;
                }
            }
        }
        return viewDim == -1 ? newStrides : null;
    }

    /** Strides of {@code t} broadcast to {@code target} (stride 0 where t has size 1 or no dimension). */
    static int[] expandStrides(String op, Tensor t, int[] target) {
        int rank = target.length;
        int lead = rank - t.dim();
        if (lead < 0) {
            throw new IllegalArgumentException(op + ": cannot expand shape " + t.shape() + " to "
                    + Arrays.toString(target) + " (fewer dimensions)");
        }
        int[] strides = new int[rank];
        int[] own = t.stride();
        for (int i = 0; i < rank; i++) {
            if (i < lead) {
                strides[i] = 0;
                continue;
            }
            int size = t.size(i - lead);
            if (size == target[i]) {
                strides[i] = own[i - lead];
            } else if (size == 1) {
                strides[i] = 0;
            } else {
                throw new IllegalArgumentException(op + ": cannot expand shape " + t.shape() + " to "
                        + Arrays.toString(target) + " (dimension " + i + ": " + size + " vs " + target[i] + ")");
            }
        }
        return strides;
    }
}
