package dev.descent.optim;

import dev.descent.autograd.Variable;
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

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        state.advance();
        Tensor theta = p.value();
        Tensor d = g.get("maximize") != 0 ? grad.neg() : grad;
        double wd = g.get("weight_decay");
        if (wd != 0) {
            d = d.add(theta, wd);
        }
        double alpha = g.get("alpha");
        Tensor v = state.buffer("square_avg", theta::zerosLike);
        v.mul_(alpha).addcmul_(d, d, 1 - alpha);
        Tensor denom;
        if (g.get("centered") != 0) {
            Tensor mean = state.buffer("grad_avg", theta::zerosLike);
            mean.mul_(alpha).add_(d, 1 - alpha);
            denom = v.clone().addcmul_(mean, mean, -1).sqrt_();
        } else {
            denom = v.sqrt();
        }
        denom.add_(g.get("eps"));
        double lr = g.get("lr");
        double momentum = g.get("momentum");
        if (momentum > 0) {
            Tensor buf = state.buffer("momentum_buffer", theta::zerosLike);
            buf.mul_(momentum).addcdiv_(d, denom, 1);
            theta.add_(buf, -lr);
        } else {
            theta.addcdiv_(d, denom, -lr);
        }
    }
}
