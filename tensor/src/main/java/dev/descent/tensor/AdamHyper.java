package dev.descent.tensor;

/**
 * The hyperparameters of a fused Adam step ({@link FusedUpdates#adam}), as torch.optim.Adam defines them:
 * learning rate, betas, epsilon (outside the square root), weight decay (L2, or decoupled as AdamW),
 * maximize and AMSGrad. They change only when a schedule changes them, so an optimizer can keep one per
 * parameter group; the step number is passed separately.
 */
public record AdamHyper(double lr, double beta1, double beta2, double eps, double weightDecay,
                        boolean decoupledWeightDecay, boolean maximize, boolean amsgrad) {
}
