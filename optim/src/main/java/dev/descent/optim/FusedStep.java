package dev.descent.optim;

import dev.descent.tensor.FusedRule;
import dev.descent.tensor.FusedUpdates;
import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * One optimizer's calls of a fused rule ({@link FusedUpdates#apply}), with the argument arrays kept between
 * steps so that a step allocates nothing: {@code begin} fills the tensor slots and tells whether they qualify
 * for the fused pass, {@code put} appends the scalars in the rule's order ({@link FusedRule#scalarNames()}),
 * and {@link #run} applies the rule. An optimizer that gets false from {@code begin} takes its unfused path.
 */
final class FusedStep {
    private final FusedRule rule;
    private final Tensor[] tensors;
    private final double[] scalars;
    private int count;

    FusedStep(FusedRule rule) {
        this.rule = rule;
        this.tensors = new Tensor[rule.tensorCount()];
        this.scalars = new double[rule.scalarNames().size()];
    }

    /** {@link #begin(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor)} for rules with fewer slots. */
    boolean begin(Tensor param, Tensor grad, Tensor a) {
        return begin(param, grad, a, null, null, null);
    }

    /** {@link #begin(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor)} for rules with fewer slots. */
    boolean begin(Tensor param, Tensor grad, Tensor a, Tensor b) {
        return begin(param, grad, a, b, null, null);
    }

    /** {@link #begin(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor)} for rules with fewer slots. */
    boolean begin(Tensor param, Tensor grad, Tensor a, Tensor b, Tensor c) {
        return begin(param, grad, a, b, c, null);
    }

    /**
     * Sets the tensor slots in the rule's order (nulls past the rule's slots) and clears the scalars; true when
     * the tensors qualify for the fused pass.
     */
    boolean begin(Tensor param, Tensor grad, Tensor a, Tensor b, Tensor c, Tensor d) {
        set(0, param);
        set(1, grad);
        set(2, a);
        set(3, b);
        set(4, c);
        set(5, d);
        count = 0;
        if (FusedUpdates.qualifies(tensors)) {
            return true;
        }
        Arrays.fill(tensors, null); // the optimizer takes its unfused path; keep no references
        return false;
    }

    private void set(int slot, Tensor t) {
        if (slot < tensors.length) {
            tensors[slot] = t;
        } else if (t != null) {
            throw new IllegalStateException(rule + " has " + tensors.length + " tensor slots, got one at " + slot);
        }
    }

    /** Appends the next scalar. */
    FusedStep put(double value) {
        if (count == scalars.length) {
            throw new IllegalStateException(rule + " takes " + scalars.length + " scalars " + rule.scalarNames());
        }
        scalars[count++] = value;
        return this;
    }

    /** Appends a flag as 1 or 0. */
    FusedStep put(boolean flag) {
        return put(flag ? 1 : 0);
    }

    /** Applies the rule to the tensors of {@code begin} with the scalars put since, then forgets the tensors. */
    void run() {
        if (count != scalars.length) {
            throw new IllegalStateException(rule + " takes " + scalars.length + " scalars " + rule.scalarNames()
                    + ", got " + count);
        }
        FusedUpdates.apply(rule, tensors, scalars);
        Arrays.fill(tensors, null);
    }
}
