package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.FusedRule;
import dev.descent.tensor.FusedUpdates;
import dev.descent.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * NAdam as {@code torch.optim.NAdam} (spec/optimizers.md §1.8): Adam with Nesterov momentum whose
 * coefficient follows the schedule {@code μ_t = β1 (1 − ½·0.96^(t ψ))} ({@code ψ = momentum_decay}; the
 * paper's 0.96^(t/250) is ψ = 0.004), the running product {@code Π = μ_1 ⋯ μ_t}, ε outside the square root
 * of the bias-corrected second moment, and
 * {@code θ ← θ − lr (1−μ_t)/(1−Π) · g/D − lr μ_{t+1}/(1−Π μ_{t+1}) · m/D}. Weight decay is L2, or decoupled
 * ({@code θ ← θ (1 − lr λ)} before the step) with {@code decoupled_weight_decay} = 1.
 *
 * <p>Hyperparameters: {@code lr}, {@code beta1}, {@code beta2}, {@code eps}, {@code weight_decay},
 * {@code momentum_decay}, and the flags {@code decoupled_weight_decay} and {@code maximize} as 0 or 1 (both
 * as in current torch). Buffers: {@code exp_avg}, {@code exp_avg_sq}, and {@code mu_product}, a FLOAT64
 * scalar.
 */
public final class NAdam extends Optimizer {
    /** torch's defaults (lr 2e-3, betas (0.9, 0.999), eps 1e-8, momentum_decay 4e-3, no decay). */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 2e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8,
            "weight_decay", 0.0, "momentum_decay", 4e-3, "decoupled_weight_decay", 0.0, "maximize", 0.0);

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public NAdam(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}. */
    public NAdam(List<ParamGroup> groups) {
        super("NAdam", groups, DEFAULTS);
    }

    @Override
    protected void validate(ParamGroup g) {
        Validation.nonNegative(name(), g, "lr", "eps", "weight_decay", "momentum_decay");
        Validation.inRange(name(), g, "beta1", 0, 1, false);
        Validation.inRange(name(), g, "beta2", 0, 1, false);
        Validation.flags(name(), g, "decoupled_weight_decay", "maximize");
    }

    private final FusedStep fused = new FusedStep(FusedRule.NADAM);
    /** Each mu_product buffer's value as last written here, so that a step need not copy it out ({@code item()}). */
    private final Map<Tensor, Known> products = new IdentityHashMap<>();

    /** A buffer's value and the storage version it had after this optimizer wrote it. */
    private static final class Known {
        double value;
        int version;
    }

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        long t = state.advance();
        Tensor theta = p.value();
        boolean maximize = g.get("maximize") != 0;
        boolean decoupled = g.get("decoupled_weight_decay") != 0;
        double lr = g.get("lr");
        double wd = g.get("weight_decay");
        double b1 = g.get("beta1");
        double b2 = g.get("beta2");
        double psi = g.get("momentum_decay");
        double mu = b1 * (1 - 0.5 * Math.pow(0.96, t * psi));
        double muNext = b1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * psi));
        Tensor product = state.buffer("mu_product");
        if (product == null) {
            product = state.buffer("mu_product", () -> Tensor.scalar(DType.FLOAT64, 1));
        }
        double muProduct = read(product) * mu;
        write(product, muProduct);
        Tensor m = state.zeroBuffer("exp_avg", theta);
        Tensor v = state.zeroBuffer("exp_avg_sq", theta);
        double bc2 = 1 - Math.pow(b2, t);
        double eps = g.get("eps");
        double gradStep = -lr * (1 - mu) / (1 - muProduct);
        double momentumStep = -lr * muNext / (1 - muProduct * muNext);
        if (fused.begin(theta, grad, m, v)) {
            // one pass over memory; the same arithmetic as the in-place operations below
            fused.put(maximize).put(decoupled ? 0 : wd).put(decoupled && wd != 0 ? 1 - lr * wd : 1).put(b1).put(1 - b1)
                    .put(b2).put(1 - b2).put(bc2).put(eps).put(gradStep).put(momentumStep).run();
            return;
        }
        Tensor d = maximize ? grad.neg() : grad;
        if (wd != 0) {
            if (decoupled) {
                theta.mul_(1 - lr * wd);
            } else {
                d = d.add(theta, wd);
            }
        }
        m.mul_(b1).add_(d, 1 - b1);
        v.mul_(b2).addcmul_(d, d, 1 - b2);
        Tensor denom = v.div(bc2).sqrt_().add_(eps);
        theta.addcdiv_(d, denom, gradStep);
        theta.addcdiv_(m, denom, momentumStep);
    }

    private double read(Tensor product) {
        Known k = products.get(product);
        return k != null && k.version == product.storage().version() ? k.value : product.item();
    }

    private void write(Tensor product, double value) {
        FusedUpdates.setScalar(product, value);
        Known k = products.get(product);
        if (k == null) {
            k = new Known();
            products.put(product, k);
        }
        k.value = value;
        k.version = product.storage().version();
    }

    /** As {@link Optimizer#loadState}; the loaded mu_product buffers are new tensors, read afresh. */
    @Override
    public void loadState(Map<String, Tensor> tensors, Map<String, ?> scalars) {
        super.loadState(tensors, scalars);
        products.clear();
    }
}
