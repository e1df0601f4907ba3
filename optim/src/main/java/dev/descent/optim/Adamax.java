package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adamax as {@code torch.optim.Adamax} (spec/optimizers.md §1.4): Adam with the infinity norm,
 * {@code u ← max(β2 u, |g| + ε)} (torch puts ε inside the max; the paper has none), a bias-corrected first
 * moment, L2 weight decay. Hyperparameters: {@code lr}, {@code beta1}, {@code beta2}, {@code eps},
 * {@code weight_decay}, and the flag {@code maximize} as 0 or 1. Buffers: {@code exp_avg}, {@code exp_inf}.
 */
public final class Adamax extends Optimizer {
    /** torch's defaults (lr 2e-3, betas (0.9, 0.999), eps 1e-8, no decay). */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 2e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8,
            "weight_decay", 0.0, "maximize", 0.0);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public Adamax(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}. */
    public Adamax(List<ParamGroup> groups) {
        super("Adamax", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        Validation.nonNegative(name(), g, "lr", "eps", "weight_decay");
        Validation.inRange(name(), g, "beta1", 0, 1, false);
        Validation.inRange(name(), g, "beta2", 0, 1, false);
        Validation.flags(name(), g, "maximize");
    }

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        long t = state.advance();
        Tensor theta = p.value();
        Tensor d = g.get("maximize") != 0 ? grad.neg() : grad;
        double wd = g.get("weight_decay");
        if (wd != 0) {
            d = d.add(theta, wd);
        }
        double b1 = g.get("beta1");
        Tensor m = state.buffer("exp_avg", theta::zerosLike);
        Tensor u = state.buffer("exp_inf", theta::zerosLike);
        m.mul_(b1).add_(d, 1 - b1);
        u.mul_(g.get("beta2")).maximum_(d.abs().add_(g.get("eps")));
        theta.addcdiv_(m, u, -g.get("lr") / (1 - Math.pow(b1, t)));
    }
}
