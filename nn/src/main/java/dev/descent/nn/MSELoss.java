package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.nn.functional.Reduction;

/** Mean squared error {@code (input - target)^2}, as {@code torch.nn.MSELoss}. Input and target must have one shape. */
public final class MSELoss {
    private final Reduction reduction;

    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        this.reduction = reduction;
    }

    public Variable forward(Variable input, Variable target) {
        return F.mseLoss(input, target, reduction);
    }

    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return "MSELoss(reduction=" + reduction + ")";
    }
}
