package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Signum (Bernstein et al., ICML 2018; spec/optimizers.md §11): {@code m ← β m + (1 − β) g},
 * {@code θ ← θ − η sign(m)}, with the buffer {@code momentum} zero at the first step (optax {@code signum}).
 * Hyperparameters: {@code lr}, {@code beta} (0.9), {@code weight_decay} and the flags {@code decoupled}
 * (default 1: θ ← θ(1 − ηλ); 0: L2 added to g before the momentum) and {@code maximize}.
 */
public final class Signum extends Optimizer {
    /** Defaults (optax's beta 0.9; lr 1e-3). */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-3, "beta", 0.9, "weight_decay", 0.0,
            "decoupled", 1.0, "maximize", 0.0);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public Signum(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}. */
    public Signum(List<ParamGroup> groups) {
        super("Signum", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        Paper2Support.nonNegative(name(), g, "lr", "weight_decay");
        Paper2Support.beta(name(), g, "beta");
        Paper2Support.flags(name(), g, "decoupled", "maximize");
    }

    private final FusedStep fused = new FusedStep(FusedRule.SIGN);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        state.advance();
        Tensor theta = p.value();
        double beta = g.get("beta");
        Tensor m = state.zeroBuffer("momentum", theta);
        if (fused.begin(theta, grad, m)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            SignSGD.putDecay(g, fused).put(beta).put(1 - beta).put(-g.get("lr")).run();
            return;
        }
        Tensor d = SignSGD.decayed(g, theta, grad);
        m.mul_(beta).add_(d, 1 - beta);
        theta.add_(m.sign(), -g.get("lr"));
    }
}
