package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adam as {@code torch.optim.Adam} (spec/optimizers.md §1.2): epsilon outside the square root of the
 * bias-corrected second moment, L2 weight decay by default or decoupled ({@code decoupled_weight_decay} = 1,
 * which is AdamW), AMSGrad on the raw second moment, maximize. Hyperparameters: {@code lr}, {@code beta1},
 * {@code beta2}, {@code eps}, {@code weight_decay}, and the flags {@code amsgrad}, {@code maximize},
 * {@code decoupled_weight_decay} as 0 or 1.
 */
public class Adam extends Optimizer {
    /** torch's defaults. */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8,
            "weight_decay", 0.0, "amsgrad", 0.0, "maximize", 0.0, "decoupled_weight_decay", 0.0);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public Adam(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}. */
    public Adam(List<ParamGroup> groups) {
        this("Adam", groups, DEFAULTS);
    }

    /** For variants (AdamW) with another name and other defaults. */
    protected Adam(String name, List<ParamGroup> groups, Map<String, Double> defaults) {
        super(name, groups, defaults);
    }

    @Override
    protected void validate(ParamGroup g) {
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        if (g.get("lr") < 0 || g.get("eps") < 0 || g.get("weight_decay") < 0 || b1 < 0 || b1 >= 1 || b2 < 0 || b2 >= 1) {
            throw new IllegalArgumentException(name() + ": expected lr, eps, weight_decay >= 0 and betas in [0, 1), got "
                    + g.options());
        }
    }

    private final FusedStep fused = new FusedStep(FusedRule.ADAM);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        long t = state.advance();
        Tensor theta = p.value();
        Tensor m = state.zeroBuffer("exp_avg", theta);
        Tensor v = state.zeroBuffer("exp_avg_sq", theta);
        Tensor vMax = g.get("amsgrad") != 0 ? state.zeroBuffer("max_exp_avg_sq", theta) : null;
        boolean maximize = g.get("maximize") != 0;
        boolean decoupled = g.get("decoupled_weight_decay") != 0;
        double lr = g.get("lr");
        double wd = g.get("weight_decay");
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        double eps = g.get("eps");
        double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
        double step = -lr / (1 - Math.pow(b1, t));
        if (fused.begin(theta, grad, m, v, vMax)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            fused.put(maximize).put(decoupled ? 0 : wd).put(decoupled && wd != 0 ? 1 - lr * wd : 1).put(b1).put(1 - b1)
                    .put(b2).put(1 - b2).put(bc2Sqrt).put(eps).put(step).run();
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
        Tensor second = v;
        if (vMax != null) {
            vMax.maximum_(v);
            second = vMax;
        }
        Tensor denom = second.sqrt().div_(bc2Sqrt).add_(eps);
        theta.addcdiv_(m, denom, step);
    }
}
