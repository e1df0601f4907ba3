package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adadelta as {@code torch.optim.Adadelta} (spec/optimizers.md §1.7): running averages of squared gradients
 * and squared updates, ε inside both square roots ({@code Δ = sqrt(E_Δ + ε) / sqrt(E_g + ε) · g}), the step
 * scaled by {@code lr} (the paper has none, i.e. lr 1), L2 weight decay. Hyperparameters: {@code lr},
 * {@code rho}, {@code eps}, {@code weight_decay}, and the flag {@code maximize} as 0 or 1. Buffers:
 * {@code square_avg}, {@code acc_delta}.
 */
public final class Adadelta extends Optimizer {
    /** torch's defaults (lr 1, rho 0.9, eps 1e-6, no decay). */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1.0, "rho", 0.9, "eps", 1e-6,
            "weight_decay", 0.0, "maximize", 0.0);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public Adadelta(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}. */
    public Adadelta(List<ParamGroup> groups) {
        super("Adadelta", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        Validation.nonNegative(name(), g, "lr", "eps", "weight_decay");
        Validation.inRange(name(), g, "rho", 0, 1, true);
        Validation.flags(name(), g, "maximize");
    }

    private final FusedStep fused = new FusedStep(FusedRule.ADADELTA);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        state.advance();
        Tensor theta = p.value();
        boolean maximize = g.get("maximize") != 0;
        double wd = g.get("weight_decay");
        double rho = g.get("rho");
        double eps = g.get("eps");
        double lr = g.get("lr");
        Tensor sq = state.zeroBuffer("square_avg", theta);
        Tensor acc = state.zeroBuffer("acc_delta", theta);
        if (fused.begin(theta, grad, sq, acc)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            fused.put(maximize).put(wd).put(rho).put(1 - rho).put(eps).put(-lr).run();
            return;
        }
        Tensor d = maximize ? grad.neg() : grad;
        if (wd != 0) {
            d = d.add(theta, wd);
        }
        sq.mul_(rho).addcmul_(d, d, 1 - rho);
        Tensor delta = acc.add(eps).sqrt_().div_(sq.add(eps).sqrt_()).mul_(d);
        acc.mul_(rho).addcmul_(delta, delta, 1 - rho);
        theta.add_(delta, -lr);
    }
}
