package dev.descent.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Random test inputs: shapes with size-1 dimensions, values in a given range, and the same logical values
 * laid out as a contiguous tensor, a permuted view, a strided slice of a larger tensor, and (for shapes
 * constant along an axis) an expanded view with stride 0. Every layout owns its storage.
 */
final class Inputs {
    private Inputs() {
    }

    static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};

    /** A random shape of rank 0..maxRank with sizes 1..maxSize, size 1 being common. */
    static int[] shape(Rng rng, int maxRank, int maxSize) {
        int rank = rng.nextInt(maxRank + 1);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = rng.nextInt(4) == 0 ? 1 : 1 + rng.nextInt(maxSize);
        }
        return s;
    }

    /** Two shapes that broadcast: some dimensions set to 1, some leading dimensions dropped. */
    static int[][] broadcastPair(Rng rng) {
        int[] out = shape(rng, 4, 5);
        return new int[][] {squash(rng, out), squash(rng, out)};
    }

    static int[] squash(Rng rng, int[] out) {
        int drop = out.length == 0 ? 0 : rng.nextInt(out.length + 1) / 2;
        int[] s = new int[out.length - drop];
        for (int i = 0; i < s.length; i++) {
            s[i] = rng.nextInt(3) == 0 ? 1 : out[i + drop];
        }
        return s;
    }

    /** Values uniform in [lo, hi), rounded to the dtype so that the reference sees exactly the stored values. */
    static Ref values(Rng rng, DType dtype, int[] shape, double lo, double hi) {
        double[] v = new double[Ref.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = round(dtype, lo + (hi - lo) * rng.nextDouble());
        }
        return Ref.of(shape, v);
    }

    /** As {@link #values} but constant along a random axis of size > 1, so that an expanded view can hold them. */
    static Ref valuesConstantAlongAxis(Rng rng, DType dtype, int[] shape, double lo, double hi) {
        Ref r = values(rng, dtype, shape, lo, hi);
        List<Integer> candidates = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] > 1) {
                candidates.add(d);
            }
        }
        if (candidates.isEmpty()) {
            return r;
        }
        int axis = candidates.get(rng.nextInt(candidates.size()));
        double[] v = r.v();
        for (int i = 0; i < v.length; i++) {
            int[] c = Ref.coords(shape, i);
            c[axis] = 0;
            v[i] = v[Ref.flat(shape, c)];
        }
        return r;
    }

    /** An axis of size > 1 along which all values are equal, or -1. */
    private static int constantAxis(Ref r) {
        int[] shape = r.shape();
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 2) {
                continue;
            }
            boolean constant = true;
            for (int i = 0; i < r.numel() && constant; i++) {
                int[] c = Ref.coords(shape, i);
                c[d] = 0;
                constant = r.v()[i] == r.v()[Ref.flat(shape, c)];
            }
            if (constant) {
                return d;
            }
        }
        return -1;
    }

    static double round(DType dtype, double x) {
        return switch (dtype) {
            case FLOAT32 -> (float) x;
            case FLOAT64 -> x;
            case INT64 -> Math.floor(x);
            case BOOL -> x >= 0.5 ? 1 : 0;
        };
    }

    static Ref map(Ref r, DoubleUnaryOperator f) {
        double[] out = new double[r.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(r.v()[i]);
        }
        return Ref.of(r.shape(), out);
    }

    /** A contiguous tensor holding the reference's values. */
    static Tensor tensor(Ref r, DType dtype) {
        Object data = Creation.newArray(dtype, r.numel());
        for (int i = 0; i < r.numel(); i++) {
            Creation.set(data, dtype, i, r.v()[i]);
        }
        return Tensor.wrap(dtype, data, Shape.of(r.shape()));
    }

    /** A named layout of the same logical values. */
    record Layout(String name, Tensor tensor) {
    }

    /** The values in every layout that applies to their shape; each is checked to hold the same values. */
    static List<Layout> layouts(Ref r, DType dtype) {
        List<Layout> out = new ArrayList<>();
        Tensor dense = tensor(r, dtype);
        out.add(new Layout("contiguous", dense));
        int rank = r.rank();
        if (rank >= 2) {
            int[] reverse = new int[rank];
            for (int i = 0; i < rank; i++) {
                reverse[i] = rank - 1 - i;
            }
            // store the reversed-axes copy, then view it back: same values, strides reversed
            out.add(new Layout("permuted", dense.permute(reverse).clone().permute(reverse)));
        }
        if (rank >= 1) {
            int[] big = r.shape().clone();
            for (int i = 0; i < rank; i++) {
                big[i] = 2 * big[i] + 1;
            }
            Tensor host = Tensor.full(dtype, 7, big);
            Tensor view = host;
            for (int d = 0; d < rank; d++) {
                view = view.slice(d, 1, big[d], 2);
            }
            view.copy_(dense);
            out.add(new Layout("sliced", view));
        }
        int axis = constantAxis(r);
        if (axis >= 0) {
            // one slice broadcast along the axis with stride 0
            out.add(new Layout("expanded", dense.narrow(axis, 0, 1).clone().expand(r.shape())));
        }
        return out;
    }
}
