package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * AdaBelief as the authors' package ({@code adabelief_pytorch} 0.2.1; spec/optimizers.md §4): Adam whose second
 * moment is the "belief" {@code s ← β2 s + (1−β2)(g − m)²}, taken around the <em>updated</em> first moment, with
 * ε added into {@code s} in place every step (so it accumulates) and again outside the square root:
 * {@code θ ← θ − lr/(1−β1^t) · m / (sqrt(s)/sqrt(1−β2^t) + ε)}. AMSGrad takes the running maximum of the
 * incremented {@code s}. With {@code rectify} (the default) the step follows official RAdam
 * ({@link Rectification}): {@code ρ_t ≥ 5} → {@code θ ← θ − lr s_t m/(sqrt(s) + ε)} (plain {@code s}, even with
 * AMSGrad), otherwise the momentum step {@code θ ← θ − lr m/(1−β1^t)} ({@code degenerated_to_sgd} = 1) or none.
 *
 * <p>Weight decay, applied every step before anything else: {@code weight_decouple} = 1 → {@code θ ← θ(1 − lr λ)},
 * or {@code θ ← θ(1 − λ)} with {@code fixed_decay} = 1; {@code weight_decouple} = 0 → L2, {@code g ← g + λθ}
 * (the official code adds this to {@code p.grad} in place; Descent leaves the caller's gradient unchanged).
 *
 * <p>Hyperparameters: {@code lr}, {@code beta1}, {@code beta2}, {@code eps}, {@code weight_decay}, and the flags
 * {@code amsgrad}, {@code weight_decouple}, {@code fixed_decay}, {@code rectify}, {@code degenerated_to_sgd},
 * {@code step_size_cache} (see {@link Rectification}). Version 0.0.5 is {@code eps} 1e-8,
 * {@code weight_decouple} 0, {@code rectify} 0. Buffers: {@code exp_avg}, {@code exp_avg_var},
 * {@code max_exp_avg_var} (AMSGrad).
 */
public class AdaBelief extends Optimizer {
    /** The defaults of adabelief_pytorch ≥ 0.1.0 (§4). */
    public static final Map<String, Double> DEFAULTS = Map.ofEntries(Map.entry("lr", 1e-3), Map.entry("beta1", 0.9),
            Map.entry("beta2", 0.999), Map.entry("eps", 1e-16), Map.entry("weight_decay", 0.0),
            Map.entry("amsgrad", 0.0), Map.entry("weight_decouple", 1.0), Map.entry("fixed_decay", 0.0),
            Map.entry("rectify", 1.0), Map.entry("degenerated_to_sgd", 1.0), Map.entry("step_size_cache", 1.0));

    private final Rectification rectification = new Rectification();

    /** One group of {@code params} with learning rate {@code lr} and the other defaults (§4). */
    public AdaBelief(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS} (§4). */
    public AdaBelief(List<ParamGroup> groups) {
        this("AdaBelief", groups, DEFAULTS);
    }

    /** For variants with another name and other defaults. */
    protected AdaBelief(String name, List<ParamGroup> groups, Map<String, Double> defaults) {
        super(name, groups, defaults);
    }

    @Override
    protected void validate(ParamGroup g) {
        Validation.nonNegative(name(), g, "lr", "eps", "weight_decay");
        Validation.inRange(name(), g, "beta1", 0, 1, false);
        Validation.inRange(name(), g, "beta2", 0, 1, false);
        Validation.flags(name(), g, "amsgrad", "weight_decouple", "fixed_decay", "rectify", "degenerated_to_sgd",
                "step_size_cache");
    }

    /** The rectification term and its cache, for subclasses (§2). */
    final Rectification rectification() {
        return rectification;
    }

    /** The factor of §4 step 1's decoupled decay: {@code 1 − lr λ}, or {@code 1 − λ} with {@code fixed_decay}. */
    static double decoupledFactor(ParamGroup g) {
        double wd = g.get("weight_decay");
        return 1.0 - (g.get("fixed_decay") != 0 ? wd : g.get("lr") * wd);
    }

    /** The theta factor and the L2 coefficient of §4 step 1 as a fused rule takes them (one of them neutral). */
    static void putDecay(ParamGroup g, FusedStep fused) {
        boolean decouple = g.get("weight_decouple") != 0;
        fused.put(decouple ? decoupledFactor(g) : 1).put(decouple ? 0 : g.get("weight_decay"));
    }

    /**
     * Applies the weight decay of §4 step 1 to {@code theta} (decoupled or fixed) and returns the gradient to use:
     * {@code grad} itself, or a new tensor {@code grad + λθ} for L2.
     */
    static Tensor decay(ParamGroup g, Tensor theta, Tensor grad) {
        if (g.get("weight_decouple") != 0) {
            theta.mul_(decoupledFactor(g));
            return grad;
        }
        double wd = g.get("weight_decay");
        return wd != 0 ? grad.add(theta, wd) : grad;
    }

    private final FusedStep fused = new FusedStep(FusedRule.ADABELIEF);

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
        double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
        // 0: the unrectified step, 1: the rectified step, 2: the momentum step, 3: none
        int mode = 0;
        double step = -lr / (1 - Math.pow(b1, t));
        if (g.get("rectify") != 0) {
            rectification.lookup(g, t, 5, false);
            mode = rectification.rho() >= 5 ? 1 : rectification.stepSize() > 0 ? 2 : 3;
            step = -rectification.stepSize() * lr;
        }
        if (fused.begin(theta, grad, m, s, sMax)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            putDecay(g, fused);
            fused.put(b1).put(1 - b1).put(b2).put(1 - b2).put(eps).put(bc2Sqrt).put(mode).put(step).run();
            return;
        }
        Tensor d = decay(g, theta, grad);
        m.mul_(b1).add_(d, 1 - b1);
        Tensor residual = d.sub(m);
        s.mul_(b2).addcmul_(residual, residual, 1 - b2);
        Tensor denom;
        if (sMax != null) {
            sMax.maximum_(s.add_(eps));
            denom = sMax.sqrt().div_(bc2Sqrt).add_(eps);
        } else {
            denom = s.add_(eps).sqrt().div_(bc2Sqrt).add_(eps);
        }
        if (mode == 0) {
            theta.addcdiv_(m, denom, step);
        } else if (mode == 1) {
            theta.addcdiv_(m, s.sqrt().add_(eps), step);
        } else if (mode == 2) {
            theta.add_(m, step);
        }
    }

    /** As {@link Optimizer#stateScalars()}, plus the live slots of the step-size cache (§2, §4). */
    @Override
    public Map<String, Object> stateScalars() {
        Map<String, Object> out = super.stateScalars();
        rectification.save(paramGroups(), out);
        return out;
    }

    /** As {@link Optimizer#loadState}, restoring the step-size cache too (§2, §4). */
    @Override
    public void loadState(Map<String, Tensor> tensors, Map<String, ?> scalars) {
        super.loadState(tensors, scalars);
        rectification.load(paramGroups(), scalars);
    }
}
