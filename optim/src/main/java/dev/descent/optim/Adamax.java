package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
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

    private final FusedStep fused = new FusedStep(FusedRule.ADAMAX);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        long t = state.advance();
        Tensor theta = p.value();
        boolean maximize = g.get("maximize") != 0;
        double wd = g.get("weight_decay");
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        double eps = g.get("eps");
        double step = -g.get("lr") / (1 - Math.pow(b1, t));
        Tensor m = state.zeroBuffer("exp_avg", theta);
        Tensor u = state.zeroBuffer("exp_inf", theta);
        if (fused.begin(theta, grad, m, u)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            fused.put(maximize).put(wd).put(b1).put(1 - b1).put(b2).put(eps).put(step).run();
            return;
        }
        Tensor d = maximize ? grad.neg() : grad;
        if (wd != 0) {
            d = d.add(theta, wd);
        }
        m.mul_(b1).add_(d, 1 - b1);
        u.mul_(b2).maximum_(d.abs().add_(eps));
        theta.addcdiv_(m, u, step);
    }
}
