package dev.descent.tensor;

/**
 * Optimizer updates as one pass over memory, with no temporary tensors: on the CPU an optimizer step is
 * bound by memory bandwidth (DESIGN.md §5). Each update gives exactly the result of its sequence of
 * in-place operations (same operations, same order, same rounding), so optimizers may use it whenever the
 * tensors qualify ({@link #qualifies}) and fall back to the in-place operations otherwise.
 */
public final class FusedUpdates {
    private FusedUpdates() {
    }

    /**
     * One SGD step in place, as torch.optim.SGD (spec/optimizers.md §1.1): {@code momentumBuffer} (null without
     * momentum) is set to the direction at the first step ({@code first}) and updated with dampening after.
     */
    public static void sgd(Tensor param, Tensor grad, Tensor momentumBuffer, SgdHyper h, boolean first) {
        if (!qualifies(param, grad, momentumBuffer, null, null) || ((h.momentum() != 0) != (momentumBuffer != null))) {
            throw new IllegalArgumentException("FusedUpdates.sgd: param " + param.shape() + " " + param.dtype()
                    + ", grad " + grad.shape() + " " + grad.dtype() + " and the buffer must be contiguous tensors of"
                    + " one floating-point dtype and shape, with a buffer exactly when momentum is on");
        }
        param.backend().sgdStep(param, grad, momentumBuffer, h, first);
        param.storage().bumpVersion();
        if (momentumBuffer != null) {
            momentumBuffer.storage().bumpVersion();
        }
    }

    /** True when every tensor is contiguous, of one floating-point dtype, one shape and one device. */
    public static boolean qualifies(Tensor... tensors) {
        Tensor first = tensors[0];
        if (!first.dtype().isFloatingPoint()) {
            return false;
        }
        for (Tensor t : tensors) {
            if (!fits(first, t)) {
                return false;
            }
        }
        return true;
    }

    /** {@link #qualifies(Tensor...)} for a parameter and its state, without the varargs array; nulls are skipped. */
    public static boolean qualifies(Tensor param, Tensor grad, Tensor a, Tensor b, Tensor c) {
        return param.dtype().isFloatingPoint() && fits(param, grad) && fits(param, a) && fits(param, b)
                && fits(param, c);
    }

    private static boolean fits(Tensor first, Tensor t) {
        return t == null || t.isContiguous() && t.dtype() == first.dtype() && t.shape().equals(first.shape())
                && t.device() == first.device();
    }

    /**
     * One Adam step in place: {@code param}, {@code expAvg} (m), {@code expAvgSq} (v) and, with AMSGrad,
     * {@code maxExpAvgSq} are updated from {@code grad} as torch.optim.Adam (spec/optimizers.md §1.2).
     * All tensors must {@link #qualifies qualify}; {@code maxExpAvgSq} is null without AMSGrad; {@code step}
     * is the number of this update (1 at the first), for the bias corrections.
     */
    public static void adam(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq,
                            AdamHyper h, long step) {
        if (!qualifies(param, grad, expAvg, expAvgSq, maxExpAvgSq) || (h.amsgrad() != (maxExpAvgSq != null))) {
            throw new IllegalArgumentException("FusedUpdates.adam: param " + param.shape() + " " + param.dtype()
                    + ", grad " + grad.shape() + " " + grad.dtype() + " and the state must be contiguous tensors of"
                    + " one floating-point dtype and shape, with a max buffer exactly when amsgrad is on");
        }
        // qualifying tensors are contiguous, so the parameter has no expanded (shared) elements to write into
        if (step < 1) {
            throw new IllegalArgumentException("FusedUpdates.adam: step " + step + " (the first update is step 1)");
        }
        param.backend().adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq, h, step);
        param.storage().bumpVersion();
        expAvg.storage().bumpVersion();
        expAvgSq.storage().bumpVersion();
        if (maxExpAvgSq != null) {
            maxExpAvgSq.storage().bumpVersion();
        }
    }
}
