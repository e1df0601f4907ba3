package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Padam (partially adaptive Adam) with decoupled weight decay, GadamX's base optimizer as the official
 * {@code diegogranziol/Gadam} code ({@code base_optimizers/padam.py}, spec/optimizers.md §12): decay
 * {@code θ ← θ (1 − lr λ)} first, then Adam moments, AMSGrad on by default, and the step
 * {@code θ ← θ − lr sqrt(1−β2^t)/(1−β1^t) · m / (sqrt(v_max) + ε)^(2p)} (the bias correction is not raised to
 * {@code 2p}, as in the reference). Hyperparameters: {@code lr}, {@code beta1}, {@code beta2}, {@code eps},
 * {@code weight_decay}, {@code partial} (p, in [0, 1/2]) and the flags {@code amsgrad} and
 * {@code decoupled_weight_decay} (0 gives the reference's L2 Padam).
 */
public final class PadamW extends Optimizer {
    /**
     * The reference class's defaults (lr 0.1, p = 1/4, AMSGrad on, no decay) with decoupled decay on; the
     * training scripts pass {@code partial} 0.125 (see {@link IterateAveraging#gadamX}).
     */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 0.1, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8,
            "weight_decay", 0.0, "amsgrad", 1.0, "partial", 0.25, "decoupled_weight_decay", 1.0);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public PadamW(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}. */
    public PadamW(List<ParamGroup> groups) {
        super("PadamW", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        Validation.nonNegative(name(), g, "lr", "eps", "weight_decay");
        Validation.inRange(name(), g, "beta1", 0, 1, false);
        Validation.inRange(name(), g, "beta2", 0, 1, false);
        Validation.inRange(name(), g, "partial", 0, 0.5, true);
        Validation.flags(name(), g, "amsgrad", "decoupled_weight_decay");
    }

    private final FusedStep fused = new FusedStep(FusedRule.PADAMW);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        Tensor theta = p.value();
        double lr = g.get("lr");
        double wd = g.get("weight_decay");
        boolean decoupled = g.get("decoupled_weight_decay") != 0;
        Tensor m = state.zeroBuffer("exp_avg", theta);
        Tensor v = state.zeroBuffer("exp_avg_sq", theta);
        Tensor vMax = g.get("amsgrad") != 0 ? state.zeroBuffer("max_exp_avg_sq", theta) : null;
        long t = state.advance();
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        double eps = g.get("eps");
        double exponent = g.get("partial") * 2;
        double stepSize = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
        if (fused.begin(theta, grad, m, v, vMax)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            fused.put(decoupled && wd != 0 ? 1 - lr * wd : 1).put(!decoupled ? wd : 0).put(b1).put(1 - b1).put(b2)
                    .put(1 - b2).put(eps).put(exponent).put(-stepSize).run();
            return;
        }
        if (decoupled && wd != 0) {
            theta.mul_(1 - lr * wd);
        }
        Tensor d = !decoupled && wd != 0 ? grad.add(theta, wd) : grad;
        m.mul_(b1).add_(d, 1 - b1);
        v.mul_(b2).addcmul_(d, d, 1 - b2);
        Tensor second = vMax != null ? vMax.maximum_(v) : v;
        Tensor denom = second.sqrt().add_(eps).pow(exponent);
        theta.addcdiv_(m, denom, -stepSize);
    }
}
