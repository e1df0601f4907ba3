package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Positive-Negative Momentum, SGD variant (Xie, Yuan, Zhu, Sugiyama, ICML 2021), as the official
 * {@code pnm_optim/pnm.py} (spec/optimizers.md §9). Two momentum buffers, {@code pos_momentum} and
 * {@code neg_momentum}, swap roles every step: at odd steps P = pos, N = neg, at even steps the reverse;
 * {@code P ← β1² P + (1 − β1²) g} and {@code θ ← θ − (η/N0)((1 + β0) P − β0 N)} with
 * {@code N0 = sqrt((1 + β0)² + β0²)}, no bias correction.
 *
 * <p>Hyperparameters: {@code lr} (required; NaN until given), {@code beta1} (momentum, 0.9), {@code beta0}
 * (positive-negative coefficient, 1.0), {@code weight_decay} and the flag {@code decoupled} (1, the default:
 * θ ← θ(1 − ηλ); 0: L2 added to the gradient, without modifying the stored gradient).
 */
public final class PNM extends Optimizer {
    /** The official defaults; lr has none (NaN: required). */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", Double.NaN, "beta1", 0.9, "beta0", 1.0,
            "weight_decay", 0.0, "decoupled", 1.0);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public PNM(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS} (each must give lr). */
    public PNM(List<ParamGroup> groups) {
        super("PNM", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        Paper2Support.requiredLr(name(), g);
        Paper2Support.beta(name(), g, "beta1");
        Paper2Support.nonNegative(name(), g, "beta0", "weight_decay");
        Paper2Support.flags(name(), g, "decoupled");
    }

    private final FusedStep fused = new FusedStep(FusedRule.PNM);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        Tensor theta = p.value();
        double lr = g.get("lr");
        double wd = g.get("weight_decay");
        boolean decoupled = g.get("decoupled") != 0;
        long t = state.advance();
        Tensor a = state.zeroBuffer("pos_momentum", theta);
        Tensor b = state.zeroBuffer("neg_momentum", theta);
        Tensor pos = t % 2 == 1 ? a : b;
        Tensor neg = t % 2 == 1 ? b : a;
        double b1 = g.get("beta1");
        double b0 = g.get("beta0");
        double noiseNorm = Math.sqrt((1 + b0) * (1 + b0) + b0 * b0);
        if (fused.begin(theta, grad, pos, neg)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            fused.put(decoupled ? 1 - lr * wd : 1).put(decoupled ? 0 : wd).put(b1 * b1).put(1 - b1 * b1).put(1 + b0)
                    .put(-b0).put(1 / noiseNorm).put(-lr).run();
            return;
        }
        Tensor d = grad;
        if (decoupled) {
            theta.mul_(1 - lr * wd);
        } else if (wd != 0) {
            d = grad.add(theta, wd);
        }
        pos.mul_(b1 * b1).add_(d, 1 - b1 * b1);
        Tensor delta = pos.mul(1 + b0).add_(neg, -b0).mul_(1 / noiseNorm);
        theta.add_(delta, -lr);
    }
}
