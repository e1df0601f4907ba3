package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.nn.functional.Reduction;

/** Mean absolute error {@code |input - target|}, as {@code torch.nn.L1Loss}; the subgradient at 0 is 0. Input and target must have one shape. */
public final class L1Loss {
    private final Reduction reduction;

    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        this.reduction = reduction;
    }

    public Variable forward(Variable input, Variable target) {
        return F.l1Loss(input, target, reduction);
    }

    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return "L1Loss(reduction=" + reduction + ")";
    }
}
