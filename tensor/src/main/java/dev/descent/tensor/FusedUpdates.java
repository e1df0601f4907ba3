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
     * arrays are not kept: an optimizer may reuse them for every call, so that a step allocates nothing. A rule
     * with {@link FusedRule#outputs() outputs} writes them into the trailing elements of {@code scalars} (the
     * values passed there are ignored).
     *
     * @throws IllegalArgumentException if the array lengths differ from the rule's, a required slot is null,
     *     or the tensors do not {@link #qualifies(FusedRule, Tensor[], double[]) qualify}
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
        if (!qualifies(rule, tensors, scalars)) {
            throw new IllegalArgumentException("FusedUpdates.apply: " + rule + " needs contiguous tensors on one"
                    + " device, the elementwise ones of one floating-point dtype" + (rule.float32Only() ? " (FLOAT32)"
                    : "") + ", shape and offset, the others laid out as " + layouts(rule) + ", got "
                    + describe(tensors));
        }
        // qualifying tensors are contiguous, so the parameter has no expanded (shared) elements to write into
        tensors[0].backend().fusedUpdate(rule, tensors, scalars);
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i] != null && (rule.slotList().get(i).written() || i == 1 && rule.writesGrad())) {
                tensors[i].storage().bumpVersion();
            }
        }
    }

    /**
     * True when the tensors fit {@code rule}'s slots: all contiguous and on one device; the elementwise ones
     * of one floating-point dtype (FLOAT32 for {@link FusedRule#float32Only()} rules), shape and storage offset;
     * the others of their {@link FusedRule.Layout}'s dtype and size (for {@code BLOCKS}, by the scalar
     * {@code block_size} in {@code scalars}, which must be a multiple of 8). Null (absent optional) slots are
     * skipped. Allocates nothing.
     */
    public static boolean qualifies(FusedRule rule, @Nullable Tensor[] tensors, double[] scalars) {
        Tensor first = tensors[0];
        if (!first.dtype().isFloatingPoint() || rule.float32Only() && first.dtype() != DType.FLOAT32) {
            return false;
        }
        java.util.List<FusedRule.Slot> slots = rule.slotList();
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            if (t == null) {
                continue;
            }
            FusedRule.Layout layout = slots.get(i).layout();
            if (layout == FusedRule.Layout.ELEMENTWISE ? !fits(first, t)
                    : !t.isContiguous() || t.device() != first.device() || t.dtype() != dtypeOf(layout, first)
                    || t.numel() != sizeOf(rule, layout, first, scalars)) {
                return false;
            }
        }
        return true;
    }

    private static DType dtypeOf(FusedRule.Layout layout, Tensor param) {
        return switch (layout) {
            case CODES -> DType.INT64;
            case BLOCKS, MAP -> DType.FLOAT32;
            default -> param.dtype();
        };
    }

    /** The element count of a non-elementwise slot for {@code param}; -1 where the layout does not apply. */
    private static long sizeOf(FusedRule rule, FusedRule.Layout layout, Tensor param, double[] scalars) {
        int n = param.numel();
        int rank = param.dim();
        return switch (layout) {
            case ELEMENTWISE -> n;
            case ROWS -> rank < 2 ? -1 : n / Math.max(param.size(rank - 1), 1);
            case COLUMNS -> rank < 2 ? -1 : n / Math.max(param.size(rank - 2), 1);
            case CODES -> (n + 7L) / 8;
            case BLOCKS -> {
                double bs = scalars[rule.scalarNames().indexOf("block_size")];
                // a multiple of 8, so that no word of packed codes straddles two blocks
                yield bs >= 8 && bs == Math.rint(bs) && bs % 8 == 0 ? (n + (long) bs - 1) / (long) bs : -1;
            }
            case MAP -> 256;
        };
    }

    private static String layouts(FusedRule rule) {
        StringBuilder s = new StringBuilder();
        for (FusedRule.Slot slot : rule.slotList()) {
            s.append(s.length() == 0 ? "" : ", ").append(slot.name()).append(' ').append(slot.layout());
        }
        return s.toString();
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
