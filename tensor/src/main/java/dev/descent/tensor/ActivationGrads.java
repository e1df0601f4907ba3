package dev.descent.tensor;

/**
 * First-order backward kernels of activations, each one pass over memory where the composition of
 * elementwise operations takes several (for ReLU: a comparison, a cast and a product, with two temporary
 * tensors). The autograd rules of the activations call these; they stay differentiable because each
 * kernel is linear in the incoming gradient.
 */
public final class ActivationGrads {
    private ActivationGrads() {
    }

    /**
     * ReLU's backward, {@code grad * (x > 0 ? 1 : 0)}: grad where x > 0, {@code grad * 0} where x <= 0, and
     * NaN where x is NaN (as relu(x) is). grad and x have one shape and one floating-point dtype.
     */
    public static Tensor relu(Tensor grad, Tensor x) {
        Checks.sameDevice("reluBackward", grad, x);
        Checks.sameDtype("reluBackward", grad, x);
        Checks.floatingPoint("reluBackward", x);
        if (!grad.shape().equals(x.shape())) {
            throw new IllegalArgumentException("reluBackward: gradient of shape " + grad.shape() + " for an input of"
                    + " shape " + x.shape() + " (they must be equal)");
        }
        Tensor out = Tensor.allocate(x.backend(), x.dtype(), x.shape());
        x.backend().reluBackward(grad.contiguous(), x.contiguous(), out);
        return out;
    }

    /**
     * {@link #relu(Tensor, Tensor)} written over {@code grad} itself when it can be ({@link #overwritable}), for
     * a caller that owns grad and needs it no more; otherwise into a new tensor.
     */
    public static Tensor reluIntoGrad(Tensor grad, Tensor x) {
        if (!overwritable(grad, x) || !x.dtype().isFloatingPoint()) {
            return relu(grad, x);
        }
        x.backend().reluBackward(grad, x.contiguous(), grad);
        grad.storage().bumpVersion();
        return grad;
    }

    /**
     * Whether a kernel may write its result over {@code grad}: a contiguous CPU tensor from offset 0 (the CPU
     * kernels read each element, or row, of grad before they write it) of {@code other}'s shape, dtype and
     * device, apart from other's storage.
     */
    static boolean overwritable(Tensor grad, Tensor other) {
        return grad.isContiguous() && grad.offset() == 0 && grad.device().kind() == Device.Kind.CPU
                && grad.shape().equals(other.shape()) && grad.dtype() == other.dtype()
                && grad.device().equals(other.device()) && grad.storage() != other.storage();
    }

    /**
     * Softmax's backward from its output y and the output gradient: {@code y (g - sum(g y))}, the sum over
     * {@code axis}; one fused pass per row when axis is the last one.
     */
    public static Tensor softmax(Tensor grad, Tensor y, int axis) {
        return softmaxBackward("softmaxBackward", grad, y, axis, false);
    }

    /** Log-softmax's backward from its output y: {@code g - exp(y) sum(g)}, the sum over {@code axis}. */
    public static Tensor logSoftmax(Tensor grad, Tensor y, int axis) {
        return softmaxBackward("logSoftmaxBackward", grad, y, axis, true);
    }

    /**
     * {@link Tensor#causalSoftmax}'s backward from its output y and the output gradient:
     * {@code y (g - sum(g y)) scale}, the sum over the last axis, and 0 at the masked positions (j > i), where
     * the gradient is not read; one fused pass per row.
     */
    public static Tensor causalSoftmax(Tensor grad, Tensor y, double scale) {
        String op = "causalSoftmaxBackward";
        Checks.sameDevice(op, grad, y);
        Checks.sameDtype(op, grad, y);
        Reductions.checkCausal(op, y, scale);
        if (!grad.shape().equals(y.shape())) {
            throw new IllegalArgumentException(op + ": gradient of shape " + grad.shape() + " for an output of"
                    + " shape " + y.shape() + " (they must be equal)");
        }
        Tensor out = Tensor.allocate(y.backend(), y.dtype(), y.shape());
        y.backend().causalSoftmaxBackward(y.contiguous(), grad.contiguous(), scale, out);
        return out;
    }

    /**
     * {@link #causalSoftmax(Tensor, Tensor, double)} written over {@code grad} itself when it can be
     * ({@link #overwritable}), for a caller that owns grad and needs it no more; otherwise into a new tensor.
     */
    public static Tensor causalSoftmaxIntoGrad(Tensor grad, Tensor y, double scale) {
        if (!overwritable(grad, y)) {
            return causalSoftmax(grad, y, scale);
        }
        Reductions.checkCausal("causalSoftmaxBackward", y, scale);
        y.backend().causalSoftmaxBackward(y.contiguous(), grad, scale, grad);
        grad.storage().bumpVersion();
        return grad;
    }

    /**
     * {@link #logSoftmax(Tensor, Tensor, int)} written over {@code grad} itself when it can be
     * ({@link #overwritable}, and the last axis), for a caller that owns grad and needs it no more; otherwise into
     * a new tensor.
     */
    public static Tensor logSoftmaxIntoGrad(Tensor grad, Tensor y, int axis) {
        if (!overwritable(grad, y) || !y.dtype().isFloatingPoint() || !Reductions.lastAxis(y, axis)) {
            return logSoftmax(grad, y, axis);
        }
        y.backend().softmaxBackwardLastAxis(y.contiguous(), grad, y.size(-1), true, grad);
        grad.storage().bumpVersion();
        return grad;
    }

    private static Tensor softmaxBackward(String op, Tensor grad, Tensor y, int axis, boolean log) {
        Checks.sameDevice(op, grad, y);
        Checks.sameDtype(op, grad, y);
        Checks.floatingPoint(op, y);
        if (!grad.shape().equals(y.shape())) {
            throw new IllegalArgumentException(op + ": gradient of shape " + grad.shape() + " for an output of"
                    + " shape " + y.shape() + " (they must be equal)");
        }
        if (!Reductions.lastAxis(y, axis)) {
            int[] a = {axis};
            return log ? grad.sub(y.exp().mul(grad.sum(a, true))) : y.mul(grad.sub(grad.mul(y).sum(a, true)));
        }
        Tensor out = Tensor.allocate(y.backend(), y.dtype(), y.shape());
        y.backend().softmaxBackwardLastAxis(y.contiguous(), grad.contiguous(), y.size(-1), log, out);
        return out;
    }
}
