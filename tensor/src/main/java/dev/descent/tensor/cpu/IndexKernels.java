package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * indexSelect, gather and scatterAdd for every dtype. Positions are checked against the axis size and
 * reported by operation, position and size; a bad index never surfaces as an array exception.
 */
final class IndexKernels {
    private IndexKernels() {
    }

    private static long[] positions(Tensor index) {
        return (long[]) CopyKernels.toHost(index);
    }

    private static int check(String op, long index, int size, int axis) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException(op + ": index " + index + " is out of range for axis " + axis
                    + " of size " + size);
        }
        return (int) index;
    }

    /** Copies whole slices: the part of {@code in} after {@code axis} moves as one contiguous block. */
    static void indexSelect(Tensor in, int axis, Tensor index, Tensor out) {
        Tensor src = in.contiguous();
        long[] idx = positions(index);
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= src.size(d);
        }
        int size = src.size(axis);
        int inner = 1;
        for (int d = axis + 1; d < src.dim(); d++) {
            inner *= src.size(d);
        }
        int[] rows = new int[idx.length];
        for (int j = 0; j < idx.length; j++) {
            rows[j] = check("indexSelect", idx[j], size, axis);
        }
        Object x = ((CpuStorage) src.storage()).data;
        Object o = ((CpuStorage) out.storage()).data;
        int base = src.offset();
        for (int b = 0; b < outer; b++) {
            for (int j = 0; j < rows.length; j++) {
                System.arraycopy(x, base + (b * size + rows[j]) * inner, o, (b * rows.length + j) * inner, inner);
            }
        }
    }

    static void gather(Tensor in, int axis, Tensor index, Tensor out) {
        long[] idx = positions(index);
        int[] src = offsets("gather", index.shape().toArray(), in.stride(), in.offset(), axis, idx, in.size(axis));
        Object x = ((CpuStorage) in.storage()).data;
        Object o = ((CpuStorage) out.storage()).data;
        int base = out.offset();
        if (x instanceof float[] a) {
            float[] r = (float[]) o;
            for (int i = 0; i < src.length; i++) {
                r[base + i] = a[src[i]];
            }
        } else if (x instanceof double[] a) {
            double[] r = (double[]) o;
            for (int i = 0; i < src.length; i++) {
                r[base + i] = a[src[i]];
            }
        } else if (x instanceof long[] a) {
            long[] r = (long[]) o;
            for (int i = 0; i < src.length; i++) {
                r[base + i] = a[src[i]];
            }
        } else {
            boolean[] a = (boolean[]) x;
            boolean[] r = (boolean[]) o;
            for (int i = 0; i < src.length; i++) {
                r[base + i] = a[src[i]];
            }
        }
    }

    /** Sequential, so that repeated positions accumulate without races. */
    static void scatterAdd(Tensor self, int axis, Tensor index, Tensor src) {
        if (addsRows(self, axis, index, src)) {
            addRows(self, index, src.contiguous());
            return;
        }
        long[] idx = positions(index);
        int[] shape = index.shape().toArray();
        int[] dst = offsets("scatterAdd_", shape, self.stride(), self.offset(), axis, idx, self.size(axis));
        Tensor values = src.contiguous();
        Object y = ((CpuStorage) values.storage()).data;
        Object o = ((CpuStorage) self.storage()).data;
        int vb = values.offset();
        if (o instanceof float[] r) {
            float[] v = (float[]) y;
            for (int i = 0; i < dst.length; i++) {
                r[dst[i]] += v[vb + i];
            }
        } else if (o instanceof double[] r) {
            double[] v = (double[]) y;
            for (int i = 0; i < dst.length; i++) {
                r[dst[i]] += v[vb + i];
            }
        } else {
            long[] r = (long[]) o;
            long[] v = (long[]) y;
            for (int i = 0; i < dst.length; i++) {
                r[dst[i]] += v[vb + i];
            }
        }
    }

    /**
     * Whether a scatter adds whole rows: along axis 0 of a contiguous target, with an index that is constant
     * along every other axis and as wide as the target (an expanded row index: indexSelect's and embedding's
     * gradient), and a source of the index's shape.
     */
    private static boolean addsRows(Tensor self, int axis, Tensor index, Tensor src) {
        if (axis != 0 || index.dim() == 0 || index.dim() != self.dim() || !self.isContiguous()
                || !src.shape().equals(index.shape()) || self.dtype() == dev.descent.tensor.DType.INT64
                || !(((CpuStorage) index.storage()).data instanceof long[])) {
            return false;
        }
        for (int d = 1; d < index.dim(); d++) {
            if (index.stride(d) != 0 || index.size(d) != self.size(d)) {
                return false;
            }
        }
        return true;
    }

    /** Row i of {@code values} added into row {@code index[i]} of self; every index is checked first. */
    private static void addRows(Tensor self, Tensor index, Tensor values) {
        int rows = index.size(0);
        int rowLength = self.size(0) == 0 ? 0 : self.numel() / self.size(0);
        long[] ix = (long[]) ((CpuStorage) index.storage()).data;
        int[] targets = new int[rows];
        for (int i = 0; i < rows; i++) {
            targets[i] = self.offset() + check("scatterAdd_", ix[index.offset() + i * index.stride(0)], self.size(0), 0)
                    * rowLength;
        }
        Object o = ((CpuStorage) self.storage()).data;
        Object y = ((CpuStorage) values.storage()).data;
        int vb = values.offset();
        for (int i = 0; i < rows; i++) {
            int t = targets[i];
            int v = vb + i * rowLength;
            if (o instanceof float[] r) {
                float[] f = (float[]) y;
                for (int j = 0; j < rowLength; j++) {
                    r[t + j] += f[v + j];
                }
            } else {
                double[] r = (double[]) o;
                double[] f = (double[]) y;
                for (int j = 0; j < rowLength; j++) {
                    r[t + j] += f[v + j];
                }
            }
        }
    }

    /**
     * For every position of an index tensor of {@code shape} (row-major), the storage offset it addresses
     * in a target with {@code strides}: its own coordinates, with the coordinate along {@code axis}
     * replaced by the index value.
     */
    private static int[] offsets(String op, int[] shape, int[] strides, int base, int axis, long[] idx, int size) {
        int[] result = new int[idx.length];
        int[] coord = new int[shape.length];
        for (int i = 0; i < idx.length; i++) {
            int off = base;
            for (int d = 0; d < shape.length; d++) {
                off += (d == axis ? check(op, idx[i], size, axis) : coord[d]) * strides[d];
            }
            result[i] = off;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++coord[d] < shape[d]) {
                    break;
                }
                coord[d] = 0;
            }
        }
        return result;
    }
}
