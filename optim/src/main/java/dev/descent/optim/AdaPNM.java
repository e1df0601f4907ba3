package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adaptive Positive-Negative Momentum (Xie, Yuan, Zhu, Sugiyama, ICML 2021), as the official
 * {@code pnm_optim/adapnm.py} (spec/optimizers.md §9): the alternating buffers {@code exp_avg} and
 * {@code neg_exp_avg} of {@link PNM} (each decays with β1² but is debiased with 1 − β1^t, as in the code),
 * Adam's {@code exp_avg_sq} with AMSGrad on by default ({@code max_exp_avg_sq}, raw maximum), ε outside the
 * bias-corrected square root: {@code θ ← θ − (η/bc1)((1 + β0)P − β0 N)/N0 / (sqrt(v̂max)/sqrt(bc2) + ε)}.
 *
 * <p>Hyperparameters: {@code lr}, {@code beta1}, {@code beta2}, {@code beta0}, {@code eps},
 * {@code weight_decay} and the flags {@code amsgrad} (default 1) and {@code decoupled} (default 1).
 */
public final class AdaPNM extends Optimizer {
    /** The official defaults (note amsgrad = 1). */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999,
            "beta0", 1.0, "eps", 1e-8, "weight_decay", 0.0, "amsgrad", 1.0, "decoupled", 1.0);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public AdaPNM(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}. */
    public AdaPNM(List<ParamGroup> groups) {
        super("AdaPNM", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        Paper2Support.nonNegative(name(), g, "lr", "eps", "beta0", "weight_decay");
        Paper2Support.beta(name(), g, "beta1", "beta2");
        Paper2Support.flags(name(), g, "amsgrad", "decoupled");
    }

    private final FusedStep fused = new FusedStep(FusedRule.ADAPNM);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        Tensor theta = p.value();
        double lr = g.get("lr");
        double wd = g.get("weight_decay");
        boolean decoupled = g.get("decoupled") != 0;
        Tensor a = state.zeroBuffer("exp_avg", theta);
        Tensor v = state.zeroBuffer("exp_avg_sq", theta);
        Tensor b = state.zeroBuffer("neg_exp_avg", theta);
        Tensor vMax = g.get("amsgrad") != 0 ? state.zeroBuffer("max_exp_avg_sq", theta) : null;
        long t = state.advance();
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        double b0 = g.get("beta0");
        double eps = g.get("eps");
        double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
        double noiseNorm = Math.sqrt((1 + b0) * (1 + b0) + b0 * b0);
        double step = -(lr / (1 - Math.pow(b1, t)));
        Tensor m = t % 2 == 1 ? a : b;
        Tensor neg = t % 2 == 1 ? b : a;
        if (fused.begin(theta, grad, m, neg, v, vMax)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            fused.put(decoupled ? 1 - lr * wd : 1).put(decoupled ? 0 : wd).put(b1 * b1).put(1 - b1 * b1).put(b2)
                    .put(1 - b2).put(bc2Sqrt).put(eps).put(1 + b0).put(-b0).put(1 / noiseNorm).put(step).run();
            return;
        }
        Tensor d = grad;
        if (decoupled) {
            theta.mul_(1 - lr * wd);
        } else if (wd != 0) {
            d = grad.add(theta, wd);
        }
        m.mul_(b1 * b1).add_(d, 1 - b1 * b1);
        v.mul_(b2).addcmul_(d, d, 1 - b2);
        Tensor second = v;
        if (vMax != null) {
            vMax.maximum_(v);
            second = vMax;
        }
        Tensor denom = second.sqrt().div_(bc2Sqrt).add_(eps);
        Tensor pn = m.mul(1 + b0).add_(neg, -b0).mul_(1 / noiseNorm);
        theta.addcdiv_(pn, denom, step);
    }
}
