package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.nn.functional.Reduction;
import dev.descent.tensor.Tensor;

/**
 * Negative log-likelihood of log-probabilities [N, C, d...] at INT64 class indices [N, d...], as
 * {@code torch.nn.NLLLoss}; pair it with {@code logSoftmax(1)}. Defaults: mean reduction, ignoreIndex -100.
 */
public final class NLLLoss {
    private final Reduction reduction;
    private final int ignoreIndex;

    public NLLLoss() {
        this(Reduction.MEAN, -100);
    }

    public NLLLoss(Reduction reduction) {
        this(reduction, -100);
    }

    public NLLLoss(Reduction reduction, int ignoreIndex) {
        this.reduction = reduction;
        this.ignoreIndex = ignoreIndex;
    }

    public Variable forward(Variable logProbs, Tensor target) {
        return F.nllLoss(logProbs, target, reduction, ignoreIndex);
    }

    public Reduction reduction() {
        return reduction;
    }

    public int ignoreIndex() {
        return ignoreIndex;
    }

    @Override
    public String toString() {
        return "NLLLoss(reduction=" + reduction + ", ignoreIndex=" + ignoreIndex + ")";
    }
}
