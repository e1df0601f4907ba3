package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.nn.functional.Reduction;
import dev.descent.tensor.Tensor;

/**
 * Cross-entropy of logits, as {@code torch.nn.CrossEntropyLoss}: logits [N, C] or [N, C, d...] (or an
 * unbatched [C]) against INT64 class indices [N, d...], or against class probabilities of the logits' shape.
 * Defaults as PyTorch's: mean reduction, {@code ignoreIndex} -100, no label smoothing.
 *
 * <pre>{@code
 * CrossEntropyLoss criterion = new CrossEntropyLoss();
 * Variable loss = criterion.forward(model.forward(x), labels);
 * }</pre>
 */
public final class CrossEntropyLoss {
    private final Reduction reduction;
    private final int ignoreIndex;
    private final double labelSmoothing;

    public CrossEntropyLoss() {
        this(Reduction.MEAN, -100, 0);
    }

    public CrossEntropyLoss(Reduction reduction) {
        this(reduction, -100, 0);
    }

    /**
     * @param ignoreIndex    targets with this value contribute nothing and are left out of the mean
     * @param labelSmoothing in [0, 1]: the target is mixed with the uniform distribution, as in PyTorch 1.13
     */
    public CrossEntropyLoss(Reduction reduction, int ignoreIndex, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: labelSmoothing must be in [0, 1], got "
                    + labelSmoothing);
        }
        this.reduction = reduction;
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    /** The loss against class indices (INT64), or against class probabilities when the target is floating-point. */
    public Variable forward(Variable input, Tensor target) {
        return F.crossEntropy(input, target, reduction, ignoreIndex, labelSmoothing);
    }

    /** The loss against class probabilities that may themselves require gradients (e.g. distillation). */
    public Variable forward(Variable input, Variable target) {
        return F.crossEntropyWithProbabilities(input, target, reduction, labelSmoothing);
    }

    public Reduction reduction() {
        return reduction;
    }

    public int ignoreIndex() {
        return ignoreIndex;
    }

    public double labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public String toString() {
        return "CrossEntropyLoss(reduction=" + reduction + ", ignoreIndex=" + ignoreIndex + ", labelSmoothing="
                + labelSmoothing + ")";
    }
}
