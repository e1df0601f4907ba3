package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.nn.functional.Reduction;

/**
 * {@code 0.5 d^2 / beta} where |d| &lt; beta, else {@code |d| - 0.5 beta}, for d = input - target, as
 * {@code torch.nn.SmoothL1Loss}; beta 0 is the L1 loss. Defaults: mean reduction, beta 1.
 */
public final class SmoothL1Loss {
    private final Reduction reduction;
    private final double beta;

    public SmoothL1Loss() {
        this(Reduction.MEAN, 1.0);
    }

    public SmoothL1Loss(Reduction reduction, double beta) {
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("SmoothL1Loss: beta must be >= 0, got " + beta);
        }
        this.reduction = reduction;
        this.beta = beta;
    }

    public Variable forward(Variable input, Variable target) {
        return F.smoothL1Loss(input, target, reduction, beta);
    }

    public Reduction reduction() {
        return reduction;
    }

    public double beta() {
        return beta;
    }

    @Override
    public String toString() {
        return "SmoothL1Loss(reduction=" + reduction + ", beta=" + beta + ")";
    }
}
