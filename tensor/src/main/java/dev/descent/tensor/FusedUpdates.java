package dev.descent.tensor;

import org.jspecify.annotations.Nullable;

/**
 * Optimizer updates as one pass over memory, with no temporary tensors: on the CPU an optimizer step is
 * bound by memory bandwidth (DESIGN.md §5). Each {@link FusedRule} gives exactly the result of its optimizer's
 * sequence of in-place operations (same operations, same order, same rounding), so optimizers may use it
 * whenever the tensors qualify ({@link #qualifies}) and fall back to the in-place operations otherwise.
 */
public final class FusedUpdates {
    private FusedUpdates() {
    }

    /**
     * Runs {@code rule} in place over {@code tensors} (its slots, in order; optional ones may be null) with
     * {@code scalars} (its scalars, in order), then counts one write on every tensor the rule changes. The
     * arrays are read, not kept: an optimizer may reuse them for every call, so that a step allocates nothing.
     *
     * @throws IllegalArgumentException if the array lengths differ from the rule's, a required slot is null,
     *     or the tensors do not {@link #qualifies qualify}
     */
    public static void apply(FusedRule rule, @Nullable Tensor[] tensors, double[] scalars) {
        if (tensors.length != rule.tensorCount() || scalars.length != rule.scalarNames().size()) {
            throw new IllegalArgumentException("FusedUpdates.apply: " + rule + " takes " + rule.tensorCount()
                    + " tensors " + rule.tensorNames() + " and " + rule.scalarNames().size() + " scalars "
                    + rule.scalarNames() + ", got " + tensors.length + " and " + scalars.length);
        }
        for (int i = 0; i < rule.requiredCount(); i++) {
            if (tensors[i] == null) {
                throw new IllegalArgumentException("FusedUpdates.apply: " + rule + " needs tensor '"
                        + rule.tensorNames().get(i) + "' (slot " + i + "), got null");
            }
        }
        if (!qualifies(tensors)) {
            throw new IllegalArgumentException("FusedUpdates.apply: " + rule + " needs contiguous tensors of one"
                    + " floating-point dtype, shape, device and offset, got " + describe(tensors));
        }
        // qualifying tensors are contiguous, so the parameter has no expanded (shared) elements to write into
        tensors[0].backend().fusedUpdate(rule, tensors, scalars);
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i] != null && (i != 1 || rule.writesGrad())) {
                tensors[i].storage().bumpVersion();
            }
        }
    }

    /**
     * Sets the one element of {@code scalar} to {@code value}, as {@code fill_} does, for an optimizer's scalar
     * state (NAdam's {@code mu_product}); unlike {@code fill_} it allocates nothing (one element cannot be an
     * expanded view, so there is no layout to check).
     *
     * @throws IllegalArgumentException if {@code scalar} has more than one element or is not floating-point
     */
    public static void setScalar(Tensor scalar, double value) {
        if (scalar.numel() != 1 || !scalar.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("FusedUpdates.setScalar: expected a floating-point tensor of one"
                    + " element, got " + scalar.shape() + " " + scalar.dtype());
        }
        scalar.backend().fill(scalar, value);
        scalar.storage().bumpVersion();
    }

    /**
     * True when every non-null tensor is contiguous, of one floating-point dtype, one shape and one device, and
     * starts at one offset in its storage (the fused loops index all arrays with one index, which HotSpot
     * vectorises; optimizer state and fresh gradients start at 0, so only parameters that are views elsewhere
     * take the unfused path).
     */
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
        return t == null || t.isContiguous() && t.offset() == first.offset() && t.dtype() == first.dtype()
                && t.shape().equals(first.shape()) && t.device() == first.device();
    }

    private static String describe(Tensor[] tensors) {
        StringBuilder s = new StringBuilder();
        for (Tensor t : tensors) {
            s.append(s.length() == 0 ? "" : ", ").append(t == null ? "null"
                    : t.shape() + " " + t.dtype() + (t.isContiguous() ? "" : " (not contiguous)") + " at offset "
                    + t.offset() + " on " + t.device());
        }
        return s.toString();
    }
}
