package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Adagrad as {@code torch.optim.Adagrad} (spec/optimizers.md §1.6), dense gradients only: the sum of squared
 * gradients starts at {@code initial_accumulator_value}, the learning rate decays as
 * {@code lr / (1 + (t − 1) lr_decay)}, ε outside the square root, L2 weight decay. Hyperparameters:
 * {@code lr}, {@code lr_decay}, {@code weight_decay}, {@code initial_accumulator_value}, {@code eps}, and the
 * flag {@code maximize} as 0 or 1. Buffer: {@code sum}.
 *
 * <p>torch creates the state of every parameter when the optimizer is built; here it is created at a
 * parameter's first update, with the group's {@code initial_accumulator_value} at that time. The updates
 * are the same.
 */
public final class Adagrad extends Optimizer {
    /** torch's defaults (lr 1e-2, eps 1e-10, no decay, accumulator starting at 0). */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-2, "lr_decay", 0.0, "weight_decay", 0.0,
            "initial_accumulator_value", 0.0, "eps", 1e-10, "maximize", 0.0);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public Adagrad(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}. */
    public Adagrad(List<ParamGroup> groups) {
        super("Adagrad", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        Validation.nonNegative(name(), g, "lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps");
        Validation.flags(name(), g, "maximize");
    }

    private final FusedStep fused = new FusedStep(FusedRule.ADAGRAD);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        long t = state.advance();
        Tensor theta = p.value();
        boolean maximize = g.get("maximize") != 0;
        double wd = g.get("weight_decay");
        double eps = g.get("eps");
        double clr = g.get("lr") / (1 + (t - 1) * g.get("lr_decay"));
        Tensor sum = state.buffer("sum");
        if (sum == null) {
            sum = state.zeroBuffer("sum", theta).fill_(g.get("initial_accumulator_value"));
        }
        if (fused.begin(theta, grad, sum)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            fused.put(maximize).put(wd).put(eps).put(-clr).run();
            return;
        }
        Tensor d = maximize ? grad.neg() : grad;
        if (wd != 0) {
            d = d.add(theta, wd);
        }
        sum.addcmul_(d, d, 1);
        theta.addcdiv_(d, sum.sqrt().add_(eps), -clr);
    }
}
