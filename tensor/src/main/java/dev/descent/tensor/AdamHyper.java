package dev.descent.tensor;

/**
 * The numbers of one fused Adam step ({@link FusedUpdates#adam}), as torch.optim.Adam defines them:
 * learning rate, betas, epsilon (outside the square root), weight decay (L2, or decoupled as AdamW),
 * maximize, AMSGrad, and the step number t (1 at the first update) for the bias corrections.
 */
public record AdamHyper(double lr, double beta1, double beta2, double eps, double weightDecay,
                        boolean decoupledWeightDecay, boolean maximize, boolean amsgrad, long step) {
}
