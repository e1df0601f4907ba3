package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Generalized SignSGD (Crawshaw, Liu, Orabona, Zhang, Zhuang, NeurIPS 2022), as the official
 * {@code cifar10/generalized_signsgd.py} (spec/optimizers.md §11): L2 decay, {@code m ← β1 m + (1 − β1) g},
 * {@code v ← β2 v + (1 − β2) m²} (the second moment of the <em>momentum</em>), optional bias correction, and
 * {@code θ ← θ − η m̂ / (sqrt(v̂) + ε)}. β2 = ε = 0 gives Signum, β1 = β2 = 0 signSGD.
 *
 * <p>Hyperparameters: {@code lr}, {@code beta1}, {@code beta2}, {@code eps}, {@code weight_decay} (L2) and the
 * flag {@code use_bias_correction} (default 0). Buffers {@code exp_avg}, {@code exp_avg_sq}.
 */
public final class GeneralizedSignSGD extends Optimizer {
    /** The official defaults. */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999,
            "eps", 1e-8, "weight_decay", 0.0, "use_bias_correction", 0.0);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public GeneralizedSignSGD(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}. */
    public GeneralizedSignSGD(List<ParamGroup> groups) {
        super("GeneralizedSignSGD", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        Paper2Support.nonNegative(name(), g, "lr", "eps", "weight_decay");
        Paper2Support.beta(name(), g, "beta1", "beta2");
        Paper2Support.flags(name(), g, "use_bias_correction");
    }

    private final FusedStep fused = new FusedStep(FusedRule.GENERALIZED_SIGN);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        Tensor theta = p.value();
        Tensor m = state.zeroBuffer("exp_avg", theta);
        Tensor v = state.zeroBuffer("exp_avg_sq", theta);
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        long t = state.advance();
        boolean correct = g.get("use_bias_correction") != 0;
        double bc1 = correct ? 1 - Math.pow(b1, t) : 1;
        double bc2 = correct ? 1 - Math.pow(b2, t) : 1;
        double wd = g.get("weight_decay");
        double eps = g.get("eps");
        double lr = g.get("lr");
        if (fused.begin(theta, grad, m, v)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            fused.put(wd).put(b1).put(1 - b1).put(bc1).put(b2).put(1 - b2).put(bc2).put(eps).put(-lr).run();
            return;
        }
        Tensor d = wd != 0 ? grad.add(theta, wd) : grad;
        m.mul_(b1).add_(d, 1 - b1);
        Tensor scaledM = m.div(bc1);
        v.mul_(b2).addcmul_(m, m, 1 - b2);
        Tensor denom = v.div(bc2).sqrt().add_(eps);
        theta.addcdiv_(scaledM, denom, -lr);
    }
}
