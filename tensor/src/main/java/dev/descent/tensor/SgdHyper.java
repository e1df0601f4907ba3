package dev.descent.tensor;

/**
 * The hyperparameters of a fused SGD step ({@link FusedUpdates#sgd}), as torch.optim.SGD defines them:
 * learning rate, momentum, dampening, L2 weight decay, Nesterov and maximize.
 */
public record SgdHyper(double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                       boolean maximize) {
}
