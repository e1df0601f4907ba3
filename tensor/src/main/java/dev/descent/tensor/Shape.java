package dev.descent.tensor;

import java.util.Arrays;

/**
 * An immutable list of dimension sizes, with NumPy's broadcasting rules. A shape of rank 0 is a scalar
 * and has one element.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final int numel;

    private Shape(int[] dims) {
        this.dims = dims;
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        this.numel = (int) n;
    }

    /** A shape with the given sizes; every size must be >= 0 and the product must fit in an int. */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("Shape: negative dimension in " + Arrays.toString(dims));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Shape: " + Arrays.toString(dims)
                        + " has more than " + Integer.MAX_VALUE + " elements");
            }
        }
        return new Shape(dims.clone());
    }

    /** The rank-0 shape of a scalar. */
    public static Shape scalar() {
        return SCALAR;
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code axis}; negative axes count from the end. */
    public int get(int axis) {
        return dims[normalizeAxis("Shape.get", axis, dims.length)];
    }

    /** Number of elements: the product of the sizes (1 for a scalar). */
    public int numel() {
        return numel;
    }

    /** A copy of the sizes. */
    public int[] toArray() {
        return dims.clone();
    }

    /** Row-major (C order) strides for this shape. */
    public int[] contiguousStrides() {
        return contiguousStrides(dims);
    }

    /** Row-major (C order) strides for {@code dims}. */
    static int[] contiguousStrides(int[] dims) {
        int[] strides = new int[dims.length];
        int s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(dims[i], 1);
        }
        return strides;
    }

    /**
     * The shape two operands broadcast to under NumPy's rules: align from the right; sizes must be equal
     * or one of them 1.
     *
     * @throws IllegalArgumentException naming {@code op} and both shapes when they cannot be broadcast
     */
    public static Shape broadcast(String op, Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + a + " and " + b
                        + " cannot be broadcast (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /**
     * Checks {@code axis} against {@code rank} and maps a negative axis to {@code axis + rank}.
     *
     * @throws IllegalArgumentException naming {@code op} when the axis is out of range
     */
    public static int normalizeAxis(String op, int axis, int rank) {
        int r = Math.max(rank, 1);
        if (axis < -r || axis >= r) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank);
        }
        return axis < 0 ? axis + r : axis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(s.dims, dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** The sizes in brackets, e.g. {@code [32, 784]}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
