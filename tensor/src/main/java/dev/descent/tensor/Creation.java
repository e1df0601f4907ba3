package dev.descent.tensor;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/** Builds host arrays for the creation functions of {@link Tensor}. */
final class Creation {
    private Creation() {
    }

    /** A tensor from a (possibly nested, rectangular) Java array of float, double, long, int or boolean. */
    static Tensor fromArray(Object array) {
        if (array == null || !array.getClass().isArray()) {
            throw new IllegalArgumentException("Tensor.fromArray: expected a Java array, got "
                    + (array == null ? "null" : array.getClass().getSimpleName()));
        }
        List<Integer> dims = new ArrayList<>();
        Class<?> leaf = array.getClass();
        Object probe = array;
        while (leaf.isArray()) {
            int len = Array.getLength(probe);
            dims.add(len);
            leaf = leaf.getComponentType();
            if (leaf.isArray()) {
                if (len == 0) {
                    throw new IllegalArgumentException("Tensor.fromArray: an empty outer dimension leaves the inner sizes unknown");
                }
                probe = Array.get(probe, 0);
            }
        }
        DType dtype = dtypeOf(leaf);
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        Shape s = Shape.of(shape);
        Object flat = newArray(dtype, s.numel());
        int[] pos = {0};
        flatten(array, 0, shape, flat, pos);
        return Tensor.wrap(dtype, flat, s);
    }

    private static DType dtypeOf(Class<?> leaf) {
        if (leaf == float.class) {
            return DType.FLOAT32;
        } else if (leaf == double.class) {
            return DType.FLOAT64;
        } else if (leaf == long.class || leaf == int.class) {
            return DType.INT64;
        } else if (leaf == boolean.class) {
            return DType.BOOL;
        }
        throw new IllegalArgumentException("Tensor.fromArray: unsupported element type " + leaf.getSimpleName()
                + " (expected float, double, long, int or boolean)");
    }

    private static void flatten(Object array, int depth, int[] shape, Object flat, int[] pos) {
        int len = Array.getLength(array);
        if (len != shape[depth]) {
            throw new IllegalArgumentException("Tensor.fromArray: ragged array: dimension " + depth + " has length "
                    + len + " here but " + shape[depth] + " in the first row");
        }
        if (depth == shape.length - 1) {
            if (array instanceof int[] ints) {
                long[] dst = (long[]) flat;
                for (int i = 0; i < len; i++) {
                    dst[pos[0] + i] = ints[i];
                }
            } else {
                System.arraycopy(array, 0, flat, pos[0], len);
            }
            pos[0] += len;
            return;
        }
        for (int i = 0; i < len; i++) {
            flatten(Array.get(array, i), depth + 1, shape, flat, pos);
        }
    }

    static Object newArray(DType dtype, int n) {
        return switch (dtype) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT64 -> new long[n];
            case BOOL -> new boolean[n];
        };
    }

    /** Writes {@code value} at {@code i} of a host array of {@code dtype}. */
    static void set(Object array, DType dtype, int i, double value) {
        switch (dtype) {
            case FLOAT32 -> ((float[]) array)[i] = (float) value;
            case FLOAT64 -> ((double[]) array)[i] = value;
            case INT64 -> ((long[]) array)[i] = (long) value;
            case BOOL -> ((boolean[]) array)[i] = value != 0;
        }
    }

    static Tensor arange(DType dtype, double start, double end, double step) {
        if (step == 0 || Double.isNaN(start) || Double.isNaN(end) || Double.isNaN(step)) {
            throw new IllegalArgumentException("arange: invalid range start=" + start + " end=" + end + " step=" + step);
        }
        double count = Math.ceil((end - start) / step);
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("arange: range start=" + start + " end=" + end + " step=" + step
                    + " has too many elements");
        }
        int n = (int) Math.max(count, 0);
        Object data = newArray(dtype, n);
        for (int i = 0; i < n; i++) {
            set(data, dtype, i, start + i * step);
        }
        return Tensor.wrap(dtype, data, Shape.of(n));
    }

    /** As torch.linspace: the second half is computed from the end so that both endpoints are exact. */
    static Tensor linspace(DType dtype, double start, double end, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: steps must be >= 0, got " + steps);
        }
        Object data = newArray(dtype, steps);
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        int half = steps / 2;
        for (int i = 0; i < steps; i++) {
            double v = steps == 1 ? start : i < half ? start + step * i : end - step * (steps - 1 - i);
            set(data, dtype, i, v);
        }
        return Tensor.wrap(dtype, data, Shape.of(steps));
    }

    static Tensor eye(DType dtype, int n, int m) {
        if (n < 0 || m < 0) {
            throw new IllegalArgumentException("eye: sizes must be >= 0, got " + n + " x " + m);
        }
        Object data = newArray(dtype, Shape.of(n, m).numel());
        for (int i = 0; i < Math.min(n, m); i++) {
            set(data, dtype, i * m + i, 1);
        }
        return Tensor.wrap(dtype, data, Shape.of(n, m));
    }
}
