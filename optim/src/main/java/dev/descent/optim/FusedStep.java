package dev.descent.optim;

import dev.descent.tensor.FusedRule;
import dev.descent.tensor.FusedUpdates;
import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * One optimizer's calls of a fused rule ({@link FusedUpdates#apply}), with the argument arrays kept between
 * steps so that a step allocates nothing: {@code begin} fills the tensor slots and tells whether they qualify
 * for the fused pass, {@code put} appends the input scalars in the rule's order ({@link FusedRule#scalarNames()}),
 * and {@link #run} applies the rule. An optimizer that gets false from {@code begin} takes its unfused path.
 * Rules that run in phases call {@link #runPhase} for every phase but the last (the tensors stay, the scalars are
 * put again) and read the sums a phase computes with {@link #output}. Rules whose slot sizes depend on a scalar
 * (the 8-bit block scales) fill the slots with {@link #set} and the scalars, then ask {@link #ready}.
 */
final class FusedStep {
    private final FusedRule rule;
    private final Tensor[] tensors;
    private final double[] scalars;
    private final int inputs;
    private int count;

    FusedStep(FusedRule rule) {
        this.rule = rule;
        this.tensors = new Tensor[rule.tensorCount()];
        this.scalars = new double[rule.scalarNames().size()];
        this.inputs = scalars.length - rule.outputs().size();
    }

    /** {@link #begin(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor)} for rules with fewer slots. */
    boolean begin(Tensor param, Tensor grad) {
        return begin(param, grad, null, null, null, null);
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
     * the tensors qualify for the fused pass. Not for rules whose slot sizes depend on scalars (use {@link #set}
     * and {@link #ready}).
     */
    boolean begin(Tensor param, Tensor grad, Tensor a, Tensor b, Tensor c, Tensor d) {
        set(0, param).set(1, grad).set(2, a).set(3, b).set(4, c).set(5, d);
        if (FusedUpdates.qualifies(rule, tensors, scalars)) {
            return true;
        }
        Arrays.fill(tensors, null); // the optimizer takes its unfused path; keep no references
        return false;
    }

    /** Sets tensor slot {@code slot} (null is allowed past the rule's slots) and clears the scalars. */
    FusedStep set(int slot, Tensor t) {
        if (slot < tensors.length) {
            tensors[slot] = t;
        } else if (t != null) {
            throw new IllegalStateException(rule + " has " + tensors.length + " tensor slots, got one at " + slot);
        }
        count = 0;
        return this;
    }

    /**
     * After {@link #set} and every input scalar: true when the tensors qualify for the fused pass; otherwise
     * the slots are cleared and the optimizer takes its unfused path.
     */
    boolean ready() {
        checkCount();
        if (FusedUpdates.qualifies(rule, tensors, scalars)) {
            return true;
        }
        Arrays.fill(tensors, null);
        return false;
    }

    /** Appends the next input scalar. */
    FusedStep put(double value) {
        if (count == inputs) {
            throw new IllegalStateException(rule + " takes " + inputs + " input scalars " + rule.scalarNames());
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
        runPhase();
        Arrays.fill(tensors, null);
    }

    /** Applies the rule with the scalars put since {@code begin} or the last phase; keeps the tensors. */
    void runPhase() {
        checkCount();
        FusedUpdates.apply(rule, tensors, scalars);
        count = 0;
    }

    /** Output {@code k} of the last call ({@link FusedRule#outputs()}). */
    double output(int k) {
        return scalars[inputs + k];
    }

    private void checkCount() {
        if (count != inputs) {
            throw new IllegalStateException(rule + " takes " + inputs + " input scalars " + rule.scalarNames()
                    + ", got " + count);
        }
    }
}
