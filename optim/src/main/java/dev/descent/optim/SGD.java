package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent as {@code torch.optim.SGD}: L2 weight decay, momentum with dampening (the
 * first step copies the gradient into the buffer, without the dampening factor), Nesterov, maximize.
 * Hyperparameters: {@code lr}, {@code momentum}, {@code dampening}, {@code weight_decay}, and the flags
 * {@code nesterov} and {@code maximize} as 0 or 1.
 */
public final class SGD extends Optimizer {
    /** torch's defaults (lr 1e-3, no momentum, no decay). */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-3, "momentum", 0.0, "dampening", 0.0,
            "weight_decay", 0.0, "nesterov", 0.0, "maximize", 0.0);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public SGD(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** One group of {@code params} with learning rate {@code lr}, {@code momentum} and the other defaults. */
    public SGD(Map<String, Variable> params, double lr, double momentum) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr, "momentum", momentum))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}. */
    public SGD(List<ParamGroup> groups) {
        super("SGD", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        if (g.get("lr") < 0 || g.get("momentum") < 0 || g.get("weight_decay") < 0) {
            throw new IllegalArgumentException("SGD: lr, momentum and weight_decay must be >= 0, got " + g.options());
        }
        if (g.get("nesterov") != 0 && (g.get("momentum") <= 0 || g.get("dampening") != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires momentum > 0 and dampening 0, got "
                    + g.options());
        }
    }

    private final FusedStep fused = new FusedStep(FusedRule.SGD);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        state.advance();
        Tensor theta = p.value();
        boolean maximize = g.get("maximize") != 0;
        boolean nesterov = g.get("nesterov") != 0;
        double wd = g.get("weight_decay");
        double momentum = g.get("momentum");
        double keep = 1 - g.get("dampening");
        double step = -g.get("lr");
        Tensor buf = momentum != 0 ? state.buffer("momentum_buffer") : null;
        if (fused.begin(theta, grad, buf)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            boolean first = momentum != 0 && buf == null;
            if (first) {
                // created only now: the unfused path's first step clones the direction instead
                fused.begin(theta, grad, state.zeroBuffer("momentum_buffer", theta));
            }
            fused.put(maximize).put(wd).put(momentum).put(keep).put(nesterov).put(first).put(step).run();
            return;
        }
        Tensor d = maximize ? grad.neg() : grad;
        if (wd != 0) {
            d = d.add(theta, wd);
        }
        if (momentum != 0) {
            if (buf == null) {
                buf = state.buffer("momentum_buffer", d::clone);
            } else {
                buf.mul_(momentum).add_(d, keep);
            }
            d = nesterov ? d.add(buf, momentum) : buf;
        }
        theta.add_(d, step);
    }
}
