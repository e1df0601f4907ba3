package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * diffGrad as the authors' fixed code ({@code shivram1987/diffGrad}, {@code diffGrad_v2.py}; spec/optimizers.md
 * §7): Adam whose first moment is damped element-wise by the friction {@code ξ = 1/(1 + exp(−|g_prev − g|))} of
 * the change in gradient, {@code θ ← θ − lr sqrt(1−β2^t)/(1−β1^t) · ξ m/(sqrt(v) + ε)} (ε in the "efficient"
 * place). {@code g_prev} starts at zero (so {@code ξ ∈ [0.5, 1)} at step 1) and holds a copy of the previous
 * L2-augmented gradient (version 1's by-reference bug, which makes {@code ξ ≡ 0.5} under in-place gradient
 * accumulation, is not reproduced). Weight decay is L2, {@code g ← g + λθ} (the official code adds it to
 * {@code p.grad} in place; Descent leaves the caller's gradient unchanged).
 *
 * <p>Hyperparameters: {@code lr}, {@code beta1}, {@code beta2}, {@code eps}, {@code weight_decay}, and the flag
 * {@code paper_epsilon}: 1 puts ε after the bias correction, {@code θ ← θ − lr/(1−β1^t) · ξ m/(sqrt(v/(1−β2^t)) + ε)},
 * as the paper. Buffers: {@code exp_avg}, {@code exp_avg_sq}, {@code previous_grad}.
 */
public class DiffGrad extends Optimizer {
    /** The official defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8, no decay; §7). */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8,
            "weight_decay", 0.0, "paper_epsilon", 0.0);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults (§7). */
    public DiffGrad(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS} (§7). */
    public DiffGrad(List<ParamGroup> groups) {
        super("DiffGrad", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        Validation.nonNegative(name(), g, "lr", "eps", "weight_decay");
        Validation.inRange(name(), g, "beta1", 0, 1, false);
        Validation.inRange(name(), g, "beta2", 0, 1, false);
        Validation.flags(name(), g, "paper_epsilon");
    }

    private final FusedStep fused = new FusedStep(FusedRule.DIFFGRAD);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        Tensor theta = p.value();
        Tensor m = state.zeroBuffer("exp_avg", theta);
        Tensor v = state.zeroBuffer("exp_avg_sq", theta);
        Tensor previous = state.zeroBuffer("previous_grad", theta);
        long t = state.advance();
        double wd = g.get("weight_decay");
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        double eps = g.get("eps");
        double lr = g.get("lr");
        double bc1 = 1 - Math.pow(b1, t);
        double bc2 = 1 - Math.pow(b2, t);
        boolean paperEpsilon = g.get("paper_epsilon") != 0;
        double step = paperEpsilon ? -lr / bc1 : -lr * Math.sqrt(bc2) / bc1;
        if (fused.begin(theta, grad, m, v, previous)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            fused.put(wd).put(b1).put(1 - b1).put(b2).put(1 - b2).put(paperEpsilon).put(Math.sqrt(bc2)).put(eps)
                    .put(step).run();
            return;
        }
        Tensor d = wd != 0 ? grad.add(theta, wd) : grad;
        m.mul_(b1).add_(d, 1 - b1);
        v.mul_(b2).addcmul_(d, d, 1 - b2);
        Tensor friction = previous.sub(d).abs().sigmoid();
        previous.copy_(d);
        Tensor damped = m.mul(friction);
        if (paperEpsilon) {
            theta.addcdiv_(damped, v.sqrt().div_(Math.sqrt(bc2)).add_(eps), step);
        } else {
            theta.addcdiv_(damped, v.sqrt().add_(eps), step);
        }
    }
}
