package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * ACProp as the authors' code ({@code juntang-zhuang/ACProp-Optimizer}, {@code optimizers/ACProp.py};
 * spec/optimizers.md §5): AdaBelief's centred second moment, updated <em>after</em> the parameter, so that the
 * step at {@code t} divides the current gradient by statistics up to {@code t−1} ("asynchronous" update).
 * Step 1 is plain SGD, {@code θ ← θ − lr m/(1−β1)} = {@code θ − lr g}. From step 2, with ε added into {@code s} in
 * place and {@code D = sqrt(s)/sqrt(1−β2^{t−1}) + ε}: {@code θ ← θ − lr g/D}, or {@code θ ← θ − lr/(1−β1^t) m/D}
 * with {@code momentum_update} = 1. {@code rectify} = 1 follows official RAdam with {@code ρ_t} from {@code t}
 * ({@code θ − lr s_t N/(sqrt(s) + ε)}, {@code N} = {@code g(1−β1^t)} or {@code m}; below the threshold the
 * momentum step or none). Then {@code s ← β2 s + (1−β2)(g − m)²}. Weight decay as {@link AdaBelief}.
 *
 * <p>Defaults are those of the paper's experiments ({@code main.py}: {@code rectify}, {@code weight_decouple},
 * {@code amsgrad}, {@code momentum_update} all 0), with the constructor's other defaults (eps 1e-16); the
 * constructor's own defaults are {@link #CODE_DEFAULTS}. AMSGrad keeps {@code max(s_max, s + ε)} from step 1 (the
 * code adds ε to {@code s} at step 1 on that path only), and never divides by {@code sqrt(1−β2^0)} = 0.
 *
 * <p>Hyperparameters: {@link AdaBelief}'s and the flag {@code momentum_update}. Buffers: {@code exp_avg},
 * {@code exp_avg_var}, {@code max_exp_avg_var} (AMSGrad).
 */
public class ACProp extends AdaBelief {
    /** The defaults of the paper's experiments (§5). */
    public static final Map<String, Double> DEFAULTS = Map.ofEntries(Map.entry("lr", 1e-3), Map.entry("beta1", 0.9),
            Map.entry("beta2", 0.999), Map.entry("eps", 1e-16), Map.entry("weight_decay", 0.0),
            Map.entry("amsgrad", 0.0), Map.entry("weight_decouple", 0.0), Map.entry("fixed_decay", 0.0),
            Map.entry("rectify", 0.0), Map.entry("degenerated_to_sgd", 1.0), Map.entry("momentum_update", 0.0),
            Map.entry("step_size_cache", 1.0));

    /** The defaults of the {@code ACProp} constructor in the official code (§5). */
    public static final Map<String, Double> CODE_DEFAULTS = Map.ofEntries(Map.entry("lr", 1e-3),
            Map.entry("beta1", 0.9), Map.entry("beta2", 0.999), Map.entry("eps", 1e-16), Map.entry("weight_decay", 0.0),
            Map.entry("amsgrad", 0.0), Map.entry("weight_decouple", 1.0), Map.entry("fixed_decay", 0.0),
            Map.entry("rectify", 1.0), Map.entry("degenerated_to_sgd", 1.0), Map.entry("momentum_update", 0.0),
            Map.entry("step_size_cache", 1.0));

    /** One group of {@code params} with learning rate {@code lr} and the other defaults (§5). */
    public ACProp(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS} (§5). */
    public ACProp(List<ParamGroup> groups) {
        super("ACProp", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        super.validate(g);
        Validation.flags(name(), g, "momentum_update");
    }

    private final FusedStep fused = new FusedStep(FusedRule.ACPROP);

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        Tensor theta = p.value();
        Tensor m = state.zeroBuffer("exp_avg", theta);
        Tensor s = state.zeroBuffer("exp_avg_var", theta);
        Tensor sMax = g.get("amsgrad") != 0 ? state.zeroBuffer("max_exp_avg_var", theta) : null;
        long t = state.advance();
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        double eps = g.get("eps");
        double lr = g.get("lr");
        double bc1 = 1 - Math.pow(b1, t);
        double bc2PreviousSqrt = Math.sqrt(1 - Math.pow(b2, t - 1));
        boolean momentum = g.get("momentum_update") != 0;
        // 0: the first step, 1: the unrectified step, 2: the rectified step, 3: the momentum step, 4: none
        int mode;
        double step;
        if (t <= 1) {
            mode = 0;
            step = -lr;
        } else if (g.get("rectify") == 0) {
            mode = 1;
            step = -lr / bc1;
        } else {
            rectification().lookup(g, t, 5, false);
            mode = rectification().rho() >= 5 ? 2 : rectification().stepSize() > 0 ? 3 : 4;
            step = -rectification().stepSize() * lr;
        }
        if (fused.begin(theta, grad, m, s, sMax)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            putDecay(g, fused);
            fused.put(b1).put(1 - b1).put(b2).put(1 - b2).put(eps).put(bc1).put(bc2PreviousSqrt).put(mode)
                    .put(momentum).put(step).run();
            return;
        }
        Tensor d = decay(g, theta, grad);
        m.mul_(b1).add_(d, 1 - b1);
        Tensor denom = null;
        if (sMax != null) {
            sMax.maximum_(s.add_(eps));
            denom = t > 1 ? sMax.sqrt().div_(bc2PreviousSqrt).add_(eps) : null;
        } else if (t > 1) {
            denom = s.add_(eps).sqrt().div_(bc2PreviousSqrt).add_(eps);
        }
        if (mode == 0) {
            theta.add_(m.div(bc1), step);
        } else if (mode == 1) {
            theta.addcdiv_(momentum ? m : d.mul(bc1), denom, step);
        } else if (mode == 2) {
            theta.addcdiv_(momentum ? m : d.mul(bc1), s.sqrt().add_(eps), step);
        } else if (mode == 3) {
            theta.add_(m, step);
        }
        Tensor residual = d.sub(m);
        s.mul_(b2).addcmul_(residual, residual, 1 - b2);
    }
}
