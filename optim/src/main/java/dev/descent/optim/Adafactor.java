package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Adafactor (Shazeer &amp; Stern, ICML 2018) in the two reference behaviours of spec/optimizers.md §6, chosen by
 * {@link Mode}: tensors of rank 2 or more keep factored second moments (one statistic per row and one per
 * column of the last two dimensions), vectors keep a full one.
 *
 * <p>{@link Mode#HF} (fairseq / HuggingFace, the de-facto reference, §6 (a)): hyperparameters {@code lr}
 * (NaN = None: required when {@code relative_step} = 0, refused otherwise), {@code eps1} (added to g²),
 * {@code eps2} (floor of the parameter RMS), {@code clip_threshold}, {@code decay_rate} (β̂2 = 1 − t^decay_rate),
 * {@code beta1} (NaN = None: no first moment), {@code weight_decay} (decoupled, scaled by the step size α_t),
 * and the flags {@code scale_parameter}, {@code relative_step}, {@code warmup_init}. fairseq's quirk of writing
 * α_t back into the group's lr is not reproduced (HF's behaviour, a local variable, is).
 *
 * <p>{@link Mode#TORCH} ({@code torch.optim.Adafactor}, §6 (b)): {@code lr} (the cap of the relative step),
 * {@code beta2_decay}, {@code eps1} (NaN = None: the machine epsilon of the parameter's dtype; a floor on the
 * row normaliser and, squared, on the variance estimate), {@code eps2}, {@code d} (clipping threshold),
 * {@code weight_decay} (θ ← θ(1 − lr λ)) and the flag {@code maximize}. No first moment.
 *
 * <p>Buffers: HF {@code exp_avg_sq_row}, {@code exp_avg_sq_col} or {@code exp_avg_sq}, and {@code exp_avg} when
 * β1 is set; TORCH {@code row_var}, {@code col_var} (kept with the reduced dimension as size 1) or
 * {@code variance}. All computation is in the parameter's dtype. Contiguous tensors take the fused passes of
 * {@link AdafactorFused}, with the same results bit for bit.
 */
public final class Adafactor extends Optimizer {
    /** Which reference behaviour (spec §6). */
    public enum Mode {
        /** fairseq / HuggingFace {@code Adafactor} (spec §6 (a)). */
        HF,
        /** {@code torch.optim.Adafactor} (spec §6 (b)). */
        TORCH
    }

    /** The HF/fairseq defaults (lr and beta1 None, written NaN; relative step with parameter scaling). */
    public static final Map<String, Double> HF_DEFAULTS = Map.of("lr", Double.NaN, "eps1", 1e-30, "eps2", 1e-3,
            "clip_threshold", 1.0, "decay_rate", -0.8, "beta1", Double.NaN, "weight_decay", 0.0,
            "scale_parameter", 1.0, "relative_step", 1.0, "warmup_init", 0.0);

    /** torch.optim.Adafactor's defaults (eps1 None, written NaN). */
    public static final Map<String, Double> TORCH_DEFAULTS = Map.of("lr", 1e-2, "beta2_decay", -0.8, "eps1",
            Double.NaN, "eps2", 1e-3, "d", 1.0, "weight_decay", 0.0, "maximize", 0.0);

    private final Mode mode;
    private final AdafactorFused fused = new AdafactorFused();

    /** One group of {@code params} with the HF defaults (relative step sizes, no lr). */
    public Adafactor(Map<String, Variable> params) {
        this(List.of(new ParamGroup(params)), Mode.HF);
    }

    /** Parameter groups in {@code mode}, whose missing hyperparameters come from that mode's defaults. */
    public Adafactor(List<ParamGroup> groups, Mode mode) {
        super("Adafactor", groups, (mode == Mode.HF ? HF_DEFAULTS : TORCH_DEFAULTS));
        this.mode = mode;
    }

    /** The reference behaviour this optimizer follows. */
    public Mode mode() {
        return mode;
    }

    @Override
    protected void validate(ParamGroup g) {
        String n = name();
        if (g.options().containsKey("relative_step")) {
            Paper2Support.flags(n, g, "scale_parameter", "relative_step", "warmup_init");
            double lr = g.get("lr");
            boolean relative = g.get("relative_step") != 0;
            if (relative && !Double.isNaN(lr)) {
                throw Paper2Support.invalid(n, "lr", lr,
                        "no lr (NaN) with relative_step = 1: cannot combine a manual lr and relative steps");
            }
            if (!relative) {
                Paper2Support.requiredLr(n, g);
            }
            if (g.get("warmup_init") != 0 && !relative) {
                throw Paper2Support.invalid(n, "warmup_init", 1, "warmup_init = 1 only with relative_step = 1");
            }
            Paper2Support.nonNegative(n, g, "eps1", "eps2", "weight_decay");
            if (!(g.get("clip_threshold") > 0)) {
                throw Paper2Support.invalid(n, "clip_threshold", g.get("clip_threshold"), "clip_threshold > 0");
            }
            if (!(g.get("decay_rate") <= 0)) {
                throw Paper2Support.invalid(n, "decay_rate", g.get("decay_rate"), "decay_rate <= 0");
            }
            double b1 = g.get("beta1");
            if (!Double.isNaN(b1) && !(b1 >= 0 && b1 <= 1)) {
                throw Paper2Support.invalid(n, "beta1", b1, "NaN (no first moment) or 0 <= beta1 <= 1");
            }
        } else {
            Paper2Support.nonNegative(n, g, "lr", "eps2", "weight_decay");
            double eps1 = g.get("eps1");
            if (!Double.isNaN(eps1) && !(eps1 >= 0)) {
                throw Paper2Support.invalid(n, "eps1", eps1, "NaN (machine epsilon) or 0 <= eps1");
            }
            if (!(g.get("beta2_decay") <= 0)) {
                throw Paper2Support.invalid(n, "beta2_decay", g.get("beta2_decay"), "beta2_decay <= 0");
            }
            if (!(g.get("d") >= 1)) {
                throw Paper2Support.invalid(n, "d", g.get("d"), "clipping threshold d >= 1");
            }
            Paper2Support.flags(n, g, "maximize");
        }
    }

    @Override
    protected void update(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        if (mode == Mode.HF) {
            updateHf(g, p, grad, state);
        } else {
            updateTorch(g, p, grad, state);
        }
    }

    private static int[] shapeOf(Tensor t) {
        return t.shape().toArray();
    }

    /** spec §6 (a), steps 1–11. */
    private void updateHf(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        Tensor theta = p.value();
        if (fused.hf(g, theta, grad, state)) {
            return;
        }
        int[] shape = shapeOf(theta);
        int n = shape.length;
        boolean factored = n >= 2;
        double beta1 = g.get("beta1");
        long t = state.advance();
        double paramRms = Paper2Support.rms(theta);
        double rho = g.get("lr");
        if (g.get("relative_step") != 0) {
            double cap = g.get("warmup_init") != 0 ? 1e-6 * t : 1e-2;
            rho = Math.min(cap, 1.0 / Math.sqrt(t));
        }
        double scale = g.get("scale_parameter") != 0 ? Math.max(g.get("eps2"), paramRms) : 1.0;
        double alpha = scale * rho;
        double beta2t = 1.0 - Math.pow(t, g.get("decay_rate"));
        Tensor update = grad.mul(grad).add(g.get("eps1"));
        if (factored) {
            Tensor row = state.buffer("exp_avg_sq_row", () -> Tensor.zeros(theta.dtype(), Arrays.copyOf(shape, n - 1)));
            Tensor col = state.buffer("exp_avg_sq_col", () -> {
                int[] s = Arrays.copyOf(shape, n - 1);
                s[n - 2] = shape[n - 1];
                return Tensor.zeros(theta.dtype(), s);
            });
            row.mul_(beta2t).add_(update.mean(new int[] {n - 1}, false), 1.0 - beta2t);
            col.mul_(beta2t).add_(update.mean(new int[] {n - 2}, false), 1.0 - beta2t);
            Tensor rFactor = row.div(row.mean(new int[] {n - 2}, true)).rsqrt().unsqueeze(n - 1);
            Tensor cFactor = col.unsqueeze(n - 2).rsqrt();
            update = rFactor.mul(cFactor).mul_(grad);
        } else {
            Tensor v = state.buffer("exp_avg_sq", theta::zerosLike);
            v.mul_(beta2t).add_(update, 1.0 - beta2t);
            update = v.rsqrt().mul_(grad);
        }
        update.div_(Math.max(Paper2Support.rms(update) / g.get("clip_threshold"), 1.0));
        update.mul_(alpha);
        if (!Double.isNaN(beta1)) {
            Tensor m = state.buffer("exp_avg", theta::zerosLike);
            m.mul_(beta1).add_(update, 1 - beta1);
            update = m;
        }
        double wd = g.get("weight_decay");
        if (wd != 0) {
            theta.add_(theta, -wd * alpha);
        }
        theta.sub_(update);
    }

    /** spec §6 (b): torch.optim.Adafactor's single-tensor step. */
    private void updateTorch(ParamGroup g, Variable p, Tensor grad, ParamState state) {
        Tensor theta = p.value();
        if (fused.torch(g, theta, grad, state)) {
            return;
        }
        Tensor d = g.get("maximize") != 0 ? grad.neg() : grad;
        int[] shape = shapeOf(theta);
        int n = shape.length;
        double eps1 = g.get("eps1");
        if (Double.isNaN(eps1)) {
            eps1 = Paper2Support.machineEpsilon(theta.dtype());
        }
        double lr = g.get("lr");
        long t = state.advance();
        double w = Math.pow((double) t, g.get("beta2_decay"));
        double rho = Math.min(lr, 1 / Math.pow((double) t, 0.5));
        double alpha = Math.max(g.get("eps2"), Paper2Support.norm(theta) / Math.sqrt(theta.numel())) * rho;
        double wd = g.get("weight_decay");
        if (wd != 0) {
            theta.mul_(1 - lr * wd);
        }
        Tensor estimate;
        if (n > 1) {
            Tensor rowVar = state.buffer("row_var", () -> {
                int[] s = shape.clone();
                s[n - 1] = 1;
                return Tensor.zeros(theta.dtype(), s);
            });
            Tensor colVar = state.buffer("col_var", () -> {
                int[] s = shape.clone();
                s[n - 2] = 1;
                return Tensor.zeros(theta.dtype(), s);
            });
            Tensor rowMean = d.norm(2, new int[] {n - 1}, true).square().div_(shape[n - 1]);
            rowVar.lerp_(rowMean, w);
            Tensor colMean = d.norm(2, new int[] {n - 2}, true).square().div_(shape[n - 2]);
            colVar.lerp_(colMean, w);
            estimate = rowVar.mul(colVar);
            estimate.div_(rowVar.mean(new int[] {n - 2}, true).clamp(eps1, Double.POSITIVE_INFINITY));
        } else {
            Tensor variance = state.buffer("variance", theta::zerosLike);
            variance.lerp_(d.mul(d), w);
            estimate = variance.clone();
        }
        Tensor update = estimate.clamp(eps1 * eps1, Double.POSITIVE_INFINITY).rsqrt().mul_(d);
        double denom = Math.max(1.0, Paper2Support.norm(update) / (Math.sqrt(update.numel()) * g.get("d")));
        theta.add_(update, -alpha / denom);
    }
}
