package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * RMSprop as {@code torch.optim.RMSprop} (spec/optimizers.md §1.5): {@code v ← α v + (1−α) g²}, ε outside
 * the square root ({@code D = sqrt(v) + ε}; TensorFlow puts it inside), no bias correction; the centered
 * variant subtracts the squared running mean of the gradient ({@code D = sqrt(v − ḡ²) + ε}); with momentum
 * the buffer, zero at the start, accumulates {@code g / D} and the step is {@code −lr b}. L2 weight decay.
 * Hyperparameters: {@code lr}, {@code alpha}, {@code eps}, {@code weight_decay}, {@code momentum}, and the
 * flags {@code centered} and {@code maximize} as 0 or 1. Buffers: {@code square_avg}, {@code grad_avg}
 * (centered), {@code momentum_buffer} (momentum &gt; 0).
 */
public final class RMSprop extends Optimizer {
    /** torch's defaults (lr 1e-2, alpha 0.99, eps 1e-8, no momentum, not centered). */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-2, "alpha", 0.99, "eps", 1e-8,
            "weight_decay", 0.0, "momentum", 0.0, "centered", 0.0, "maximize", 0.0);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public RMSprop(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}. */
    public RMSprop(List<ParamGroup> groups) {
        super("RMSprop", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        Validation.nonNegative(name(), g, "lr", "alpha", "eps", "weight_decay", "momentum");
        Validation.flags(name(), g, "centered", "maximize");
    }

    private final FusedStep fused = new FusedStep(FusedRule.RMSPROP);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        state.advance();
        Tensor theta = p.value();
        boolean maximize = g.get("maximize") != 0;
        double wd = g.get("weight_decay");
        double alpha = g.get("alpha");
        double eps = g.get("eps");
        double lr = g.get("lr");
        double momentum = g.get("momentum");
        Tensor v = state.zeroBuffer("square_avg", theta);
        Tensor mean = g.get("centered") != 0 ? state.zeroBuffer("grad_avg", theta) : null;
        Tensor buf = momentum > 0 ? state.zeroBuffer("momentum_buffer", theta) : null;
        if (fused.begin(theta, grad, v, mean, buf)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            fused.put(maximize).put(wd).put(alpha).put(1 - alpha).put(eps).put(momentum).put(-lr).run();
            return;
        }
        Tensor d = maximize ? grad.neg() : grad;
        if (wd != 0) {
            d = d.add(theta, wd);
        }
        v.mul_(alpha).addcmul_(d, d, 1 - alpha);
        Tensor denom;
        if (mean != null) {
            mean.mul_(alpha).add_(d, 1 - alpha);
            denom = v.clone().addcmul_(mean, mean, -1).sqrt_();
        } else {
            denom = v.sqrt();
        }
        denom.add_(eps);
        if (buf != null) {
            buf.mul_(momentum).addcdiv_(d, denom, 1);
            theta.add_(buf, -lr);
        } else {
            theta.addcdiv_(d, denom, -lr);
        }
    }
}
