package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.nn.functional.Reduction;

/**
 * Binary cross-entropy of logits against targets in [0, 1] of the same shape, as
 * {@code torch.nn.BCEWithLogitsLoss} (without {@code weight} and {@code pos_weight}); computed without
 * overflow for logits of any size. Default: mean reduction.
 */
public final class BCEWithLogitsLoss {
    private final Reduction reduction;

    public BCEWithLogitsLoss() {
        this(Reduction.MEAN);
    }

    public BCEWithLogitsLoss(Reduction reduction) {
        this.reduction = reduction;
    }

    public Variable forward(Variable input, Variable target) {
        return F.binaryCrossEntropyWithLogits(input, target, reduction);
    }

    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return "BCEWithLogitsLoss(reduction=" + reduction + ")";
    }
}
