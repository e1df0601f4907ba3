package dev.descent.tensor;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A plain reference n-d array: a shape and row-major doubles. Test references compute on these with
 * nested loops, independently of the engine under test.
 */
record Ref(int[] shape, double[] v) {

    static Ref of(int[] shape, double[] v) {
        return new Ref(shape.clone(), v);
    }

    int numel() {
        return v.length;
    }

    int rank() {
        return shape.length;
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Row-major coordinates of flat position i. */
    static int[] coords(int[] shape, int i) {
        int[] c = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            c[d] = i % shape[d];
            i /= shape[d];
        }
        return c;
    }

    static int flat(int[] shape, int[] c) {
        int i = 0;
        for (int d = 0; d < shape.length; d++) {
            i = i * shape[d] + c[d];
        }
        return i;
    }

    /** The value at the position broadcasting maps output coordinate {@code c} (of a larger rank) to. */
    double atBroadcast(int[] c) {
        int lead = c.length - shape.length;
        int i = 0;
        for (int d = 0; d < shape.length; d++) {
            i = i * shape[d] + (shape[d] == 1 ? 0 : c[d + lead]);
        }
        return v[i];
    }

    /** NumPy broadcasting of two shapes, written out independently of Shape.broadcast. */
    static int[] broadcast(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** Asserts shape and values; tolerance |x - r| <= atol + rtol |r|; NaN must match NaN, infinities exactly. */
    static void assertClose(String what, Ref expected, Tensor actual, double rtol, double atol) {
        assertArrayEquals(expected.shape, actual.shape().toArray(), what + ": shape");
        double[] got = actual.toDoubleArray();
        for (int i = 0; i < got.length; i++) {
            double r = expected.v[i];
            double x = got[i];
            if (Double.isNaN(r) || Double.isInfinite(r)) {
                if (Double.compare(r, x) != 0 && !(Double.isNaN(r) && Double.isNaN(x))) {
                    fail(what + ": at " + Arrays.toString(coords(expected.shape, i)) + " expected " + r + " got " + x);
                }
                continue;
            }
            if (!(Math.abs(x - r) <= atol + rtol * Math.abs(r))) {
                fail(what + ": at " + Arrays.toString(coords(expected.shape, i)) + " expected " + r + " got " + x
                        + " (|diff| " + Math.abs(x - r) + ")");
            }
        }
    }

    static void assertExact(String what, Ref expected, Tensor actual) {
        assertArrayEquals(expected.shape, actual.shape().toArray(), what + ": shape");
        double[] got = actual.toDoubleArray();
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected.v[i], got[i], 0.0, what + ": at " + Arrays.toString(coords(expected.shape, i)));
        }
    }
}
