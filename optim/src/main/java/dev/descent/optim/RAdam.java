package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Rectified Adam as {@code torch.optim.RAdam} (spec/optimizers.md §1.9), which is <em>not</em> the authors'
 * official RAdam (§2: threshold 4, a different fallback and ε placement). With
 * {@code ρ∞ = 2/(1−β2) − 1} and {@code ρ_t = ρ∞ − 2 t β2^t / (1−β2^t)}: while {@code ρ_t ≤ 5} (torch's
 * threshold, pytorch/pytorch#58968) the step is the un-adapted momentum step {@code θ ← θ − lr m̂}; after,
 * {@code θ ← θ − lr r_t m̂ sqrt(1−β2^t) / (sqrt(v) + ε)} (ε in the "efficient" place) with the rectification
 * {@code r_t = sqrt((ρ_t−4)(ρ_t−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρ_t))}. Weight decay is L2, or decoupled
 * ({@code θ ← θ (1 − lr λ)} before the step) with {@code decoupled_weight_decay} = 1.
 *
 * <p>Hyperparameters: {@code lr}, {@code beta1}, {@code beta2}, {@code eps}, {@code weight_decay}, and the
 * flags {@code decoupled_weight_decay} and {@code maximize} as 0 or 1 (both as in current torch). Buffers:
 * {@code exp_avg}, {@code exp_avg_sq}.
 */
public class RAdam extends Optimizer {
    /** torch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8, no decay). */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8,
            "weight_decay", 0.0, "decoupled_weight_decay", 0.0, "maximize", 0.0);

    /** The value {@code ρ_t} must exceed for the adaptive (rectified) step: 5 in torch. */
    public static final double TORCH_THRESHOLD = 5;

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public RAdam(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}. */
    public RAdam(List<ParamGroup> groups) {
        this("RAdam", groups, DEFAULTS);
    }

    /** For variants with another name or more hyperparameters. */
    protected RAdam(String name, List<ParamGroup> groups, Map<String, Double> defaults) {
        super(name, groups, defaults);
    }

    @Override
    protected void validate(ParamGroup g) {
        Validation.nonNegative(name(), g, "lr", "eps", "weight_decay");
        Validation.inRange(name(), g, "beta1", 0, 1, false);
        Validation.inRange(name(), g, "beta2", 0, 1, false);
        Validation.flags(name(), g, "decoupled_weight_decay", "maximize");
    }

    private final FusedStep fused = new FusedStep(FusedRule.RADAM);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        long t = state.advance();
        Tensor theta = p.value();
        boolean maximize = g.get("maximize") != 0;
        boolean decoupled = g.get("decoupled_weight_decay") != 0;
        double lr = g.get("lr");
        double wd = g.get("weight_decay");
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        double eps = g.get("eps");
        double bc1 = 1 - Math.pow(b1, t);
        double b2t = Math.pow(b2, t);
        double bc2 = 1 - b2t;
        double rhoInf = 2 / (1 - b2) - 1;
        double rhoT = rhoInf - 2 * t * b2t / bc2;
        boolean adaptive = rhoT > TORCH_THRESHOLD;
        double step = -lr / bc1;
        if (adaptive) {
            double rect = Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            step = -lr * rect * Math.sqrt(bc2) / bc1;
        }
        Tensor m = state.zeroBuffer("exp_avg", theta);
        Tensor v = state.zeroBuffer("exp_avg_sq", theta);
        if (fused.begin(theta, grad, m, v)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            fused.put(maximize).put(decoupled ? 0 : wd).put(decoupled && wd != 0 ? 1 - lr * wd : 1).put(b1).put(1 - b1)
                    .put(b2).put(1 - b2).put(adaptive).put(eps).put(step).run();
            return;
        }
        Tensor d = maximize ? grad.neg() : grad;
        if (wd != 0) {
            if (decoupled) {
                theta.mul_(1 - lr * wd);
            } else {
                d = d.add(theta, wd);
            }
        }
        m.mul_(b1).add_(d, 1 - b1);
        v.mul_(b2).addcmul_(d, d, 1 - b2);
        if (adaptive) {
            theta.addcdiv_(m, v.sqrt().add_(eps), step);
        } else {
            theta.add_(m, step);
        }
    }
}
