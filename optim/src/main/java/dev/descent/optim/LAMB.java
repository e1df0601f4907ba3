package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * LAMB (You et al., "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes", ICLR 2020,
 * Algorithm 2). Not in spec/optimizers.md; this follows the paper's algorithm: Adam moments
 * {@code m ← β1 m + (1 − β1) g}, {@code v ← β2 v + (1 − β2) g²}, bias correction (flag), the direction
 * {@code r = m̂ / (sqrt(v̂) + ε)} plus decoupled decay {@code u = r + λ w}, and the layer-wise trust ratio
 * {@code w ← w − η φ(‖w‖)/‖u‖ · u} with the paper's clipping {@code φ(z) = min(max(z, γl), γu)}. The defaults
 * γl = 0, γu = ∞ make φ the identity, as in the paper's experiments; where φ(‖w‖) or ‖u‖ is 0 the ratio is 1.
 *
 * <p>Hyperparameters: {@code lr}, {@code beta1}, {@code beta2}, {@code eps} (1e-6 as the paper),
 * {@code weight_decay}, {@code phi_lower}, {@code phi_upper} and the flag {@code bias_correction} (default 1).
 * Buffers {@code exp_avg}, {@code exp_avg_sq}.
 *
 * <p>Contiguous tensors take two fused passes ({@link FusedRule#LAMB_MOMENTS}: the moments and both norms;
 * {@link FusedRule#LAMB_APPLY}: the step, recomputing the update from the moments rather than storing it), with
 * the results, bit for bit, of the in-place operations the other tensors take.
 */
public final class LAMB extends Optimizer {
    /** Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-6, no decay, φ the identity, bias correction on. */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-3, "beta1", 0.9, "beta2", 0.999,
            "eps", 1e-6, "weight_decay", 0.0, "bias_correction", 1.0, "phi_lower", 0.0,
            "phi_upper", Double.POSITIVE_INFINITY);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public LAMB(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}. */
    public LAMB(List<ParamGroup> groups) {
        super("LAMB", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        Paper2Support.nonNegative(name(), g, "lr", "eps", "weight_decay", "phi_lower");
        Paper2Support.beta(name(), g, "beta1", "beta2");
        Paper2Support.flags(name(), g, "bias_correction");
        double upper = g.get("phi_upper");
        if (!(upper >= g.get("phi_lower"))) {
            throw Paper2Support.invalid(name(), "phi_upper", upper, "phi_upper >= phi_lower " + g.get("phi_lower"));
        }
    }

    private final FusedStep moments = new FusedStep(FusedRule.LAMB_MOMENTS);
    private final FusedStep apply = new FusedStep(FusedRule.LAMB_APPLY);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        Tensor theta = p.value();
        Tensor m = state.zeroBuffer("exp_avg", theta);
        Tensor v = state.zeroBuffer("exp_avg_sq", theta);
        long t = state.advance();
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        boolean correct = g.get("bias_correction") != 0;
        double bc1 = correct ? 1 - Math.pow(b1, t) : 1.0;
        double bc2 = correct ? 1 - Math.pow(b2, t) : 1.0;
        double eps = g.get("eps");
        double wd = g.get("weight_decay");
        if (moments.begin(theta, grad, m, v)) {
            moments.put(b1).put(1 - b1).put(b2).put(1 - b2).put(bc1).put(bc2).put(eps).put(wd).run();
            double ratio = ratio(g, Paper2Support.norm(moments.output(0), theta.dtype()),
                    Paper2Support.norm(moments.output(1), theta.dtype()));
            apply.begin(theta, m, v);
            apply.put(bc1).put(bc2).put(eps).put(wd).put(-g.get("lr") * ratio).run();
            return;
        }
        m.mul_(b1).add_(grad, 1 - b1);
        v.mul_(b2).addcmul_(grad, grad, 1 - b2);
        Tensor update = m.div(bc1).div_(v.div(bc2).sqrt_().add_(eps));
        if (wd != 0) {
            update.add_(theta, wd);
        }
        double ratio = ratio(g, Paper2Support.norm(theta), Paper2Support.norm(update));
        theta.add_(update, -g.get("lr") * ratio);
    }

    /** The trust ratio {@code φ(‖w‖)/‖u‖}, 1 where either is 0. */
    private static double ratio(ParamGroup g, double weightNorm, double updateNorm) {
        double phi = Math.min(Math.max(weightNorm, g.get("phi_lower")), g.get("phi_upper"));
        return phi > 0 && updateNorm > 0 ? phi / updateNorm : 1.0;
    }
}
