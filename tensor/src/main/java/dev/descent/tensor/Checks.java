package dev.descent.tensor;

import java.util.Arrays;

/** Argument checks whose messages name the operation and every shape, dtype or device involved. */
final class Checks {
    private Checks() {
    }

    static void sameDevice(String op, Tensor... ts) {
        for (Tensor t : ts) {
            if (!t.device().equals(ts[0].device())) {
                throw new IllegalArgumentException(op + ": tensors on different devices: " + ts[0].device()
                        + " and " + t.device());
            }
        }
    }

    static void sameDtype(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes " + a.dtype() + " and " + b.dtype()
                    + " differ (shapes " + a.shape() + " and " + b.shape() + "); cast one explicitly");
        }
    }

    static void floatingPoint(String op, Tensor t) {
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expects a FLOAT32 or FLOAT64 tensor, got " + t.dtype()
                    + " of shape " + t.shape());
        }
    }

    static void floatingPoint(String op, DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expects FLOAT32 or FLOAT64, got " + dtype);
        }
    }

    static void dtype(String op, Tensor t, DType expected) {
        if (t.dtype() != expected) {
            throw new IllegalArgumentException(op + ": expects a " + expected + " tensor, got " + t.dtype()
                    + " of shape " + t.shape());
        }
    }

    static void rank(String op, Tensor t, int expected) {
        if (t.dim() != expected) {
            throw new IllegalArgumentException(op + ": expects a tensor of rank " + expected + ", got shape "
                    + t.shape());
        }
    }

    /** In-place writes through a view that maps several elements to one memory location race: refuse them. */
    static void writable(String op, Tensor t) {
        int[] strides = t.stride();
        for (int i = 0; i < strides.length; i++) {
            if (strides[i] == 0 && t.size(i) > 1) {
                throw new IllegalArgumentException(op + ": cannot write in place into an expanded tensor of shape "
                        + t.shape() + " and strides " + Arrays.toString(strides)
                        + " (several elements share one memory location); call contiguous() first");
            }
        }
    }

    /** The scalar must be representable in an integer dtype without rounding. */
    static void scalarFits(String op, Tensor t, double s) {
        if (t.dtype() == DType.INT64 && (s != Math.rint(s) || Double.isInfinite(s))) {
            throw new IllegalArgumentException(op + ": scalar " + s + " is not an integer, but the tensor of shape "
                    + t.shape() + " is INT64; cast the tensor to a float dtype first");
        }
    }

    static int[] normalizeAxes(String op, int[] axes, int rank) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[Math.max(rank, 1)];
        for (int i = 0; i < axes.length; i++) {
            out[i] = Shape.normalizeAxis(op, axes[i], rank);
            if (seen[out[i]]) {
                throw new IllegalArgumentException(op + ": axis " + axes[i] + " appears twice in "
                        + Arrays.toString(axes));
            }
            seen[out[i]] = true;
        }
        Arrays.sort(out);
        return out;
    }
}
