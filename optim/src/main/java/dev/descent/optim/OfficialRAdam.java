package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Rectified Adam as the authors' code ({@code LiyuanLucasLiu/RAdam}, {@code radam/radam.py}; spec/optimizers.md
 * §2), which differs from torch's {@link RAdam}: the moments use the raw gradient; when {@code ρ_t ≥ 5} the step
 * is {@code θ ← θ − lr s_t m/(sqrt(v) + ε)} with {@code s_t = r_t sqrt(1−β2^t)/(1−β1^t)} (ε in the "efficient"
 * place); below the threshold the parameter either takes the momentum step {@code θ ← θ − lr m/(1−β1^t)}
 * ({@code degenerated_to_sgd} = 1) or is left untouched (the default since commit d9fd30a), while the moments are
 * still updated. Weight decay is decoupled, {@code θ ← θ − lr λ θ}, and applied only on steps that move θ.
 *
 * <p>Hyperparameters: {@code lr}, {@code beta1}, {@code beta2}, {@code eps}, {@code weight_decay},
 * {@code degenerated_to_sgd} (flag), {@code threshold} (5), {@code strict_threshold} (flag: 0 for the code's
 * {@code ρ_t ≥ threshold}, 1 for {@code ρ_t > threshold}) and {@code step_size_cache} (flag: 1 reproduces the
 * code's ten-slot cache of step sizes, see {@link Rectification}; 0 is {@code PlainRAdam}). The paper's
 * Algorithm 2 is {@code threshold} 4, {@code strict_threshold} 1, {@code degenerated_to_sgd} 1, {@code eps} 0.
 * Buffers: {@code exp_avg}, {@code exp_avg_sq}.
 */
public class OfficialRAdam extends Optimizer {
    /** The official defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8, no decay, no SGD fallback). */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8,
            "weight_decay", 0.0, "degenerated_to_sgd", 0.0, "threshold", 5.0, "strict_threshold", 0.0,
            "step_size_cache", 1.0);

    private final Rectification rectification = new Rectification();

    /** One group of {@code params} with learning rate {@code lr} and the other defaults (§2). */
    public OfficialRAdam(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS} (§2). */
    public OfficialRAdam(List<ParamGroup> groups) {
        super("OfficialRAdam", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        Validation.nonNegative(name(), g, "lr", "eps", "weight_decay");
        Validation.inRange(name(), g, "beta1", 0, 1, false);
        Validation.inRange(name(), g, "beta2", 0, 1, false);
        Validation.flags(name(), g, "degenerated_to_sgd", "strict_threshold", "step_size_cache");
        if (Double.isNaN(g.get("threshold"))) {
            throw new IllegalArgumentException(name() + ": invalid threshold NaN (expected a number)");
        }
    }

    private final FusedStep fused = new FusedStep(FusedRule.OFFICIAL_RADAM);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        Tensor theta = p.value();
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        Tensor m = state.zeroBuffer("exp_avg", theta);
        Tensor v = state.zeroBuffer("exp_avg_sq", theta);
        long t = state.advance();
        double threshold = g.get("threshold");
        boolean strict = g.get("strict_threshold") != 0;
        rectification.lookup(g, t, threshold, strict);
        double lr = g.get("lr");
        double wd = g.get("weight_decay");
        double eps = g.get("eps");
        boolean adaptive = Rectification.adaptive(rectification.rho(), threshold, strict);
        boolean moves = adaptive || rectification.stepSize() > 0;
        double step = -rectification.stepSize() * lr;
        if (fused.begin(theta, grad, m, v)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            fused.put(b1).put(1 - b1).put(b2).put(1 - b2).put(!moves ? 0 : adaptive ? 2 : 1).put(wd != 0).put(-wd * lr)
                    .put(eps).put(step).run();
            return;
        }
        v.mul_(b2).addcmul_(grad, grad, 1 - b2);
        m.mul_(b1).add_(grad, 1 - b1);
        if (!moves) {
            return;
        }
        if (wd != 0) {
            theta.add_(theta, -wd * lr);
        }
        if (adaptive) {
            theta.addcdiv_(m, v.sqrt().add_(eps), step);
        } else {
            theta.add_(m, step);
        }
    }

    /** As {@link Optimizer#stateScalars()}, plus the live slots of the step-size cache (§2). */
    @Override
    public Map<String, Object> stateScalars() {
        Map<String, Object> out = super.stateScalars();
        rectification.save(paramGroups(), out);
        return out;
    }

    /** As {@link Optimizer#loadState}, restoring the step-size cache too (§2). */
    @Override
    public void loadState(Map<String, Tensor> tensors, Map<String, ?> scalars) {
        super.loadState(tensors, scalars);
        rectification.load(paramGroups(), scalars);
    }
}
