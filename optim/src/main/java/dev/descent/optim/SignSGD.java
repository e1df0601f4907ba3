package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * signSGD (Bernstein et al., ICML 2018; spec/optimizers.md §11): {@code θ ← θ − η sign(g)}, sign(0) = 0, no
 * state besides the step counter. Hyperparameters: {@code lr}, {@code weight_decay} and the flags
 * {@code decoupled} (1, the default as kozistr's {@code weight_decouple}: θ ← θ(1 − ηλ); 0: L2, g + λθ before
 * the sign) and {@code maximize}. {@link Signum} adds momentum.
 */
public final class SignSGD extends Optimizer {
    /** Defaults (lr 1e-3 as kozistr's SignSGD; decoupled decay off since weight_decay is 0). */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-3, "weight_decay", 0.0, "decoupled", 1.0,
            "maximize", 0.0);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public SignSGD(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}. */
    public SignSGD(List<ParamGroup> groups) {
        super("SignSGD", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        Paper2Support.nonNegative(name(), g, "lr", "weight_decay");
        Paper2Support.flags(name(), g, "decoupled", "maximize");
    }

    /** The direction before the sign: the (maximize-negated) gradient, with L2 or after decoupled decay. */
    static Tensor decayed(ParamGroup g, Tensor theta, Tensor grad) {
        Tensor d = g.get("maximize") != 0 ? grad.neg() : grad;
        double wd = g.get("weight_decay");
        if (wd != 0) {
            if (g.get("decoupled") != 0) {
                theta.mul_(1 - g.get("lr") * wd);
            } else {
                d = d.add(theta, wd);
            }
        }
        return d;
    }

    private final FusedStep fused = new FusedStep(FusedRule.SIGN);

    /** The decay scalars of the SIGN rule: maximize, the L2 coefficient and the theta factor. */
    static FusedStep putDecay(ParamGroup g, FusedStep fused) {
        double wd = g.get("weight_decay");
        boolean decoupled = g.get("decoupled") != 0;
        return fused.put(g.get("maximize") != 0).put(decoupled ? 0 : wd)
                .put(decoupled && wd != 0 ? 1 - g.get("lr") * wd : 1);
    }

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        state.advance();
        Tensor theta = p.value();
        if (fused.begin(theta, grad, null)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            putDecay(g, fused).put(0).put(1).put(-g.get("lr")).run();
            return;
        }
        Tensor d = decayed(g, theta, grad);
        theta.add_(d.sign(), -g.get("lr"));
    }
}
