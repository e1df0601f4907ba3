package dev.descent.optim.eightbit;

import dev.descent.tensor.DType;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.FusedUpdates;
import dev.descent.tensor.Tensor;
import java.util.Arrays;

/**
 * One 8-bit optimizer's calls of a bitsandbytes fused rule ({@link FusedRule#BNB_ADAM_8BIT} and the others),
 * with the argument arrays kept between steps so that a step allocates nothing: {@link #set} the tensor slots
 * and {@link #put} the scalars in the rule's order, then {@link #run} applies the rule when the tensors qualify
 * (contiguous, FLOAT32, at one offset) and returns false, having done nothing, otherwise (the optimizer then
 * takes its array path). The dynamic maps are passed as {@link #SIGNED} and {@link #UNSIGNED}.
 */
final class EightBitFused {
    /** The signed dynamic map (§13.1) as a FLOAT32 tensor, read by the 8-bit rules. */
    static final Tensor SIGNED = Tensor.of(DynamicMap.signed(), 256);
    /** The unsigned dynamic map (§13.1) as a FLOAT32 tensor. */
    static final Tensor UNSIGNED = Tensor.of(DynamicMap.unsigned(), 256);

    private final FusedRule rule;
    private final Tensor[] tensors;
    private final double[] scalars;
    private int count;

    EightBitFused(FusedRule rule) {
        this.rule = rule;
        this.tensors = new Tensor[rule.tensorCount()];
        this.scalars = new double[rule.scalarNames().size()];
    }

    /** Sets tensor slot {@code slot} and clears the scalars. */
    EightBitFused set(int slot, Tensor t) {
        tensors[slot] = t;
        count = 0;
        return this;
    }

    /** Appends the next scalar. */
    EightBitFused put(double value) {
        scalars[count++] = value;
        return this;
    }

    /** Applies the rule if the tensors qualify (true), then forgets them; false, with nothing done, otherwise. */
    boolean run() {
        if (count != scalars.length) {
            throw new IllegalStateException(rule + " takes " + scalars.length + " scalars " + rule.scalarNames()
                    + ", got " + count);
        }
        boolean fits = tensors[0].dtype() == DType.FLOAT32 && FusedUpdates.qualifies(rule, tensors, scalars);
        if (fits) {
            FusedUpdates.apply(rule, tensors, scalars);
        }
        Arrays.fill(tensors, null);
        return fits;
    }
}
