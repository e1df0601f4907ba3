package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * LARS, layer-wise adaptive rate scaling (You, Gitman, Ginsburg, "Large Batch Training of Convolutional
 * Networks", 2017, Algorithm 1). Not in spec/optimizers.md; this follows the paper's algorithm: per parameter
 * tensor (a "layer") the local learning rate {@code λ = η ‖w‖ / (‖g‖ + β ‖w‖ + eps)}, with η the trust
 * coefficient and β the weight decay, then {@code v ← m v + γ λ (g + β w)} and {@code w ← w − v} (the
 * learning rate γ inside the velocity, as in the paper). Where ‖w‖ or ‖g‖ is 0 the ratio is 1, the convention
 * of the common implementations (NVIDIA apex LARC, torchlars).
 *
 * <p>Hyperparameters: {@code lr} (required; NaN until given), {@code momentum} (0.9; 0 updates directly with no
 * buffer), {@code weight_decay} (0), {@code trust_coefficient} (η, 0.001), {@code eps} (0) and the flag
 * {@code adapt} (1: nothing is excluded by default; put biases and normalisation parameters in a group with
 * {@code adapt} = 0 and {@code weight_decay} = 0 to exclude them, which gives plain momentum SGD in the same
 * velocity form). Buffer {@code momentum_buffer}.
 */
public final class LARS extends Optimizer {
    /** Defaults: lr required (NaN), momentum 0.9, trust coefficient 0.001, no decay, every tensor adapted. */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", Double.NaN, "momentum", 0.9,
            "weight_decay", 0.0, "trust_coefficient", 1e-3, "eps", 0.0, "adapt", 1.0);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public LARS(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS} (each must give lr). */
    public LARS(List<ParamGroup> groups) {
        super("LARS", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        Paper2Support.requiredLr(name(), g);
        Paper2Support.beta(name(), g, "momentum");
        Paper2Support.nonNegative(name(), g, "weight_decay", "trust_coefficient", "eps");
        Paper2Support.flags(name(), g, "adapt");
    }

    private final FusedStep norms = new FusedStep(FusedRule.SQUARED_NORMS);
    private final FusedStep fused = new FusedStep(FusedRule.SGD);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        state.advance();
        Tensor theta = p.value();
        double lr = g.get("lr");
        double wd = g.get("weight_decay");
        double momentum = g.get("momentum");
        double wNorm;
        double gNorm;
        if (norms.begin(theta, grad)) {
            norms.put(0.0).run();
            wNorm = Paper2Support.norm(norms.output(2), theta.dtype());
            gNorm = Paper2Support.norm(norms.output(0), theta.dtype());
        } else {
            wNorm = Paper2Support.norm(theta);
            gNorm = Paper2Support.norm(grad);
        }
        double local = 1.0;
        if (g.get("adapt") != 0 && wNorm > 0 && gNorm > 0) {
            local = g.get("trust_coefficient") * wNorm / (gNorm + wd * wNorm + g.get("eps"));
        }
        Tensor buf = momentum != 0 ? state.zeroBuffer("momentum_buffer", theta) : null;
        if (fused.begin(theta, grad, buf)) {
            // after the norms, the update is SGD's rule: v <- m v + (lr local) d, then w <- w + (-1) v
            fused.put(false).put(wd).put(momentum).put(lr * local).put(false).put(false)
                    .put(buf != null ? -1 : -lr * local).run();
            return;
        }
        Tensor d = wd != 0 ? grad.add(theta, wd) : grad;
        if (buf != null) {
            buf.mul_(momentum).add_(d, lr * local);
            theta.sub_(buf);
        } else {
            theta.add_(d, -lr * local);
        }
    }
}
