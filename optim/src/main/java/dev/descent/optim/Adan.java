package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.FusedUpdates;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adan, adaptive Nesterov momentum (Xie et al., TPAMI 2024), as the official {@code sail-sg/Adan} code
 * (spec/optimizers.md §8). The betas follow the <em>code's</em> convention, 1 − the paper's: defaults
 * {@code beta1} = 0.98, {@code beta2} = 0.92, {@code beta3} = 0.99 are the paper's (0.02, 0.08, 0.01).
 * Hyperparameters: {@code lr}, {@code beta1}, {@code beta2}, {@code beta3}, {@code eps} (outside the square
 * root), {@code weight_decay}, {@code max_grad_norm} (0 = no clipping) and the flag {@code no_prox} (0: proximal
 * decay θ ← θ/(1 + ηλ) after the step, the default; 1: AdamW-like θ ← θ(1 − ηλ) before it).
 *
 * <p>As in the code: one step counter per parameter <em>group</em> (it advances at every {@link #step()} even
 * for parameters without a gradient), saved by {@link #stateScalars()} as {@code adan_group_step.<i>}; the
 * per-parameter counter only counts the updates each parameter received. Built-in clipping scales every
 * gradient, in place, by {@code min(1, max_grad_norm / (‖g_all‖ + eps))}, the norm taken over all groups'
 * gradients; {@code max_grad_norm} is read from group 0 (the code reads the constructor's value) and
 * {@code eps} from the last group (the code's loop variable). The previous (clipped) gradient is kept negated
 * in the buffer {@code neg_pre_grad}, with {@code exp_avg}, {@code exp_avg_diff} and {@code exp_avg_sq}.
 * {@link #restart()} is the code's {@code restart_opt()}.
 */
public final class Adan extends Optimizer {
    /** The official code's defaults. */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1e-3, "beta1", 0.98, "beta2", 0.92,
            "beta3", 0.99, "eps", 1e-8, "weight_decay", 0.0, "max_grad_norm", 0.0, "no_prox", 0.0);

    private static final String GROUP_STEP = "adan_group_step.";

    private final long[] groupSteps;
    private final Map<ParamGroup, Integer> groupIndex = new IdentityHashMap<>();
    private double clip = 1.0;
    private final FusedStep fused = new FusedStep(FusedRule.ADAN);
    private final FusedStep norms = new FusedStep(FusedRule.SQUARED_NORMS);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public Adan(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}. */
    public Adan(List<ParamGroup> groups) {
        super("Adan", groups, DEFAULTS);
        groupSteps = new long[paramGroups().size()];
        for (int i = 0; i < paramGroups().size(); i++) {
            groupIndex.put(paramGroups().get(i), i);
        }
    }

    @Override
    protected void validate(ParamGroup g) {
        Paper2Support.nonNegative(name(), g, "lr", "eps", "weight_decay", "max_grad_norm");
        Paper2Support.beta(name(), g, "beta1", "beta2", "beta3");
        Paper2Support.flags(name(), g, "no_prox");
    }

    /** The step counter of group {@code i} (spec §8: one counter per group). */
    public long groupStep(int i) {
        return groupSteps[i];
    }

    /**
     * The code's {@code restart_opt()} (spec §8): zeroes the moments {@code exp_avg}, {@code exp_avg_diff},
     * {@code exp_avg_sq} and resets every group counter, so that the next step re-seeds the previous gradient.
     */
    public void restart() {
        Arrays.fill(groupSteps, 0);
        for (ParamGroup g : paramGroups()) {
            for (Variable p : g.params().values()) {
                ParamState s = state(p);
                if (s != null) {
                    for (String b : List.of("exp_avg", "exp_avg_sq", "exp_avg_diff")) {
                        Tensor t = s.buffer(b);
                        if (t != null) {
                            t.zero_();
                        }
                    }
                }
            }
        }
    }

    /** Clips the gradients globally if {@code max_grad_norm > 0}, advances every group counter, then updates. */
    @Override
    public void step() {
        List<ParamGroup> groups = paramGroups();
        double maxNorm = groups.get(0).get("max_grad_norm");
        clip = 1.0;
        if (maxNorm > 0) {
            double sumSq = 0;
            for (int i = 0; i < groups.size(); i++) { // indexed loops: a step allocates nothing
                List<Variable> params = groups.get(i).paramList();
                for (int j = 0; j < params.size(); j++) {
                    Variable p = params.get(j);
                    if (p.grad() != null) {
                        sumSq += squaredNorm(p.value(), p.grad());
                    }
                }
            }
            double eps = groups.get(groups.size() - 1).get("eps");
            clip = Math.min(maxNorm / (Math.sqrt(sumSq) + eps), 1.0);
        }
        for (int i = 0; i < groupSteps.length; i++) {
            groupSteps[i]++;
        }
        super.step();
    }

    /** {@code grad.square().sum().item()}, without allocating when the rule's fused pass takes the pair. */
    private double squaredNorm(Tensor param, Tensor grad) {
        if (norms.begin(param, grad)) {
            norms.put(0.0).run();
            return Paper2Support.sum(norms.output(0), grad.dtype());
        }
        return grad.square().sum().item();
    }

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        state.advance();
        long k = groupSteps[groupIndex.get(g)];
        Tensor theta = p.value();
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        double b3 = g.get("beta3");
        double lr = g.get("lr");
        double wd = g.get("weight_decay");
        double eps = g.get("eps");
        boolean noProx = g.get("no_prox") != 0;
        double bc1 = 1.0 - Math.pow(b1, k);
        double bc2 = 1.0 - Math.pow(b2, k);
        double bc3Sqrt = Math.sqrt(1.0 - Math.pow(b3, k));
        double stepSizeDiff = lr * b2 / bc2;
        double stepSize = lr / bc1;
        Tensor m = state.zeroBuffer("exp_avg", theta);
        Tensor n = state.zeroBuffer("exp_avg_sq", theta);
        Tensor v = state.zeroBuffer("exp_avg_diff", theta);
        Tensor neg = state.buffer("neg_pre_grad");
        boolean seed = neg == null || k == 1;
        if (FusedUpdates.qualifies(theta, grad, m, n, v)) {
            // the previous gradient is re-seeded by the fused pass itself
            neg = neg == null ? state.zeroBuffer("neg_pre_grad", theta) : neg;
            if (fused.begin(theta, grad, m, n, v, neg)) {
                // one pass over memory; the same arithmetic as the in-place operations below
                fused.put(seed).put(clip).put(b1).put(1 - b1).put(b2).put(1 - b2).put(b3).put(1 - b3).put(bc3Sqrt)
                        .put(eps).put(noProx).put(noProx ? 1 - lr * wd : 1 + lr * wd).put(-stepSize)
                        .put(-stepSizeDiff).run();
                return;
            }
        }
        if (seed) {
            state.buffers().put("neg_pre_grad", grad.neg().mul_(clip));
        }
        neg = state.buffer("neg_pre_grad");
        grad.mul_(clip);
        neg.add_(grad);
        m.mul_(b1).add_(grad, 1 - b1);
        v.mul_(b2).add_(neg, 1 - b2);
        neg.mul_(b2).add_(grad);
        n.mul_(b3).addcmul_(neg, neg, 1 - b3);
        Tensor denom = n.sqrt().div_(bc3Sqrt).add_(eps);
        if (noProx) {
            theta.mul_(1 - lr * wd);
            theta.addcdiv_(m, denom, -stepSize);
            theta.addcdiv_(v, denom, -stepSizeDiff);
        } else {
            theta.addcdiv_(m, denom, -stepSize);
            theta.addcdiv_(v, denom, -stepSizeDiff);
            theta.div_(1 + lr * wd);
        }
        neg.zero_().add_(grad, -1.0);
    }

    /** The base scalars plus each group's step counter, {@code adan_group_step.<i>}. */
    @Override
    public Map<String, Object> stateScalars() {
        Map<String, Object> out = new LinkedHashMap<>(super.stateScalars());
        for (int i = 0; i < groupSteps.length; i++) {
            out.put(GROUP_STEP + i, groupSteps[i]);
        }
        return out;
    }

    /** Restores the base state and the group counters ({@code adan_group_step.<i>}, all required). */
    @Override
    public void loadState(Map<String, Tensor> tensors, Map<String, ?> scalars) {
        List<String> missing = new ArrayList<>();
        long[] loaded = new long[groupSteps.length];
        for (int i = 0; i < groupSteps.length; i++) {
            Object v = scalars.get(GROUP_STEP + i);
            if (v instanceof Number num) {
                loaded[i] = num.longValue();
            } else {
                missing.add("no step counter '" + GROUP_STEP + i + "' of group " + i);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(name() + ".loadState: " + String.join("; ", missing));
        }
        super.loadState(tensors, scalars);
        System.arraycopy(loaded, 0, groupSteps, 0, loaded.length);
    }
}
