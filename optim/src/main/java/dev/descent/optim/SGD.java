package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedUpdates;
import dev.descent.tensor.SgdHyper;
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

    /** Each group's hyperparameters as the fused kernel takes them, rebuilt only when a value changes. */
    private final java.util.IdentityHashMap<ParamGroup, SgdHyper> hypers = new java.util.IdentityHashMap<>();

    private SgdHyper hyper(ParamGroup g) {
        SgdHyper h = hypers.get(g);
        if (h == null || h.lr() != g.get("lr") || h.momentum() != g.get("momentum")
                || h.dampening() != g.get("dampening") || h.weightDecay() != g.get("weight_decay")
                || h.nesterov() != (g.get("nesterov") != 0) || h.maximize() != (g.get("maximize") != 0)) {
            h = new SgdHyper(g.get("lr"), g.get("momentum"), g.get("dampening"), g.get("weight_decay"),
                    g.get("nesterov") != 0, g.get("maximize") != 0);
            hypers.put(g, h);
        }
        return h;
    }

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        state.advance();
        Tensor theta = p.value();
        if (FusedUpdates.qualifies(theta, grad, state.buffer("momentum_buffer"), null, null)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            Tensor buf = null;
            boolean first = false;
            if (g.get("momentum") != 0) {
                buf = state.buffer("momentum_buffer");
                if (buf == null) {
                    buf = state.buffer("momentum_buffer", theta::zerosLike);
                    first = true;
                }
            }
            FusedUpdates.sgd(theta, grad, buf, hyper(g), first);
            return;
        }
        Tensor d = g.get("maximize") != 0 ? grad.neg() : grad;
        double wd = g.get("weight_decay");
        if (wd != 0) {
            d = d.add(theta, wd);
        }
        double momentum = g.get("momentum");
        if (momentum != 0) {
            Tensor buf = state.buffer("momentum_buffer");
            if (buf == null) {
                buf = state.buffer("momentum_buffer", d::clone);
            } else {
                buf.mul_(momentum).add_(d, 1 - g.get("dampening"));
            }
            d = g.get("nesterov") != 0 ? d.add(buf, momentum) : buf;
        }
        theta.add_(d, -g.get("lr"));
    }
}
