package dev.descent.autograd;

import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;

import static dev.descent.autograd.Ops.node;

/**
 * Differentiable reductions, softmax and log-softmax. {@code axes == null} means every axis. A reduction's
 * gradient is the output gradient reshaped to the kept shape (reduced axes of size 1) and broadcast back.
 */
final class Reductions {
    private Reductions() {
    }

    /** x's shape with the reduced axes set to 1 (all of them when axes is null). */
    static Shape keptShape(Variable x, int[] axes) {
        int[] kept = x.shape().toArray();
        if (axes == null) {
            java.util.Arrays.fill(kept, 1);
        } else {
            for (int a : axes) {
                kept[Shape.normalizeAxis("reduce", a, x.dim())] = 1;
            }
        }
        return Shape.of(kept);
    }

    /** The gradient of a reduction output, reshaped to the kept shape and broadcast to x's shape. */
    static Variable spread(Variable g, Variable x, int[] axes) {
        return g.reshape(keptShape(x, axes).toArray()).broadcastTo(x.shape());
    }

    static Variable sum(Variable x, int[] axes, boolean keepDim) {
        Tensor value = axes == null ? sumAll(x.value(), keepDim) : x.value().sum(axes, keepDim);
        return node("sum", value, x).backward((out, g, needs) -> new Variable[] {spread(g, x, axes)});
    }

    private static Tensor sumAll(Tensor x, boolean keepDim) {
        Tensor s = x.sum();
        return keepDim ? s.reshape(keptAll(x.dim())) : s;
    }

    private static int[] keptAll(int rank) {
        int[] ones = new int[rank];
        java.util.Arrays.fill(ones, 1);
        return ones;
    }

    static Variable mean(Variable x, int[] axes, boolean keepDim) {
        int count = x.numel() / Math.max(keptShape(x, axes).numel(), 1);
        return sum(x, axes, keepDim).div(count);
    }
    static Variable prod(Variable x, int[] axes, boolean keepDim) { throw new UnsupportedOperationException("being written"); }
    static Variable amax(Variable x, int[] axes, boolean keepDim) { throw new UnsupportedOperationException("being written"); }
    static Variable amin(Variable x, int[] axes, boolean keepDim) { throw new UnsupportedOperationException("being written"); }
    static Variable.ValuesAndIndices max(Variable x, int axis, boolean keepDim) { throw new UnsupportedOperationException("being written"); }
    static Variable.ValuesAndIndices min(Variable x, int axis, boolean keepDim) { throw new UnsupportedOperationException("being written"); }
    static Variable var(Variable x, int[] axes, int correction, boolean keepDim) { throw new UnsupportedOperationException("being written"); }
    static Variable std(Variable x, int[] axes, int correction, boolean keepDim) { throw new UnsupportedOperationException("being written"); }
    static Variable norm(Variable x, double p, int[] axes, boolean keepDim) { throw new UnsupportedOperationException("being written"); }
    static Variable logsumexp(Variable x, int[] axes, boolean keepDim) { throw new UnsupportedOperationException("being written"); }
    static Variable cumsum(Variable x, int axis) { throw new UnsupportedOperationException("being written"); }
    static Variable softmax(Variable x, int axis) { throw new UnsupportedOperationException("being written"); }
    static Variable logSoftmax(Variable x, int axis) { throw new UnsupportedOperationException("being written"); }
}
