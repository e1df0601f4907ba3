package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.AdamHyper;
import dev.descent.tensor.FusedUpdates;
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

    /** Each group's hyperparameters as the fused kernel takes them, rebuilt only when a value changes. */
    private final java.util.IdentityHashMap<ParamGroup, AdamHyper> hypers = new java.util.IdentityHashMap<>();

    private AdamHyper hyper(ParamGroup g) {
        AdamHyper h = hypers.get(g);
        if (h == null || h.lr() != g.get("lr") || h.beta1() != g.get("beta1") || h.beta2() != g.get("beta2")
                || h.eps() != g.get("eps") || h.weightDecay() != g.get("weight_decay")
                || h.decoupledWeightDecay() != (g.get("decoupled_weight_decay") != 0)
                || h.maximize() != (g.get("maximize") != 0) || h.amsgrad() != (g.get("amsgrad") != 0)) {
            h = new AdamHyper(g.get("lr"), g.get("beta1"), g.get("beta2"), g.get("eps"), g.get("weight_decay"),
                    g.get("decoupled_weight_decay") != 0, g.get("maximize") != 0, g.get("amsgrad") != 0);
            hypers.put(g, h);
        }
        return h;
    }

    /** State buffer {@code name}, created as zeros like {@code theta} on first use. */
    private static Tensor buffer(ParamState state, String name, Tensor theta) {
        Tensor b = state.buffer(name);
        return b != null ? b : state.buffer(name, theta::zerosLike);
    }

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        long t = state.advance();
        Tensor theta = p.value();
        boolean amsgrad = g.get("amsgrad") != 0;
        // looked up before created: a method reference capturing theta would allocate on every step
        Tensor m0 = buffer(state, "exp_avg", theta);
        Tensor v0 = buffer(state, "exp_avg_sq", theta);
        Tensor vMax0 = amsgrad ? buffer(state, "max_exp_avg_sq", theta) : null;
        if (FusedUpdates.qualifies(theta, grad, m0, v0, vMax0)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            FusedUpdates.adam(theta, grad, m0, v0, vMax0, hyper(g), t);
            return;
        }
        Tensor d = g.get("maximize") != 0 ? grad.neg() : grad;
        double lr = g.get("lr");
        double wd = g.get("weight_decay");
        if (wd != 0) {
            if (g.get("decoupled_weight_decay") != 0) {
                theta.mul_(1 - lr * wd);
            } else {
                d = d.add(theta, wd);
            }
        }
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        Tensor m = state.buffer("exp_avg", theta::zerosLike);
        Tensor v = state.buffer("exp_avg_sq", theta::zerosLike);
        m.mul_(b1).add_(d, 1 - b1);
        v.mul_(b2).addcmul_(d, d, 1 - b2);
        double bc1 = 1 - Math.pow(b1, t);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
        Tensor second = v;
        if (g.get("amsgrad") != 0) {
            Tensor vMax = state.buffer("max_exp_avg_sq", theta::zerosLike);
            vMax.maximum_(v);
            second = vMax;
        }
        Tensor denom = second.sqrt().div_(bc2Sqrt).add_(g.get("eps"));
        theta.addcdiv_(m, denom, -lr / bc1);
    }
}
