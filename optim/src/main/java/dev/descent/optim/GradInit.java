package dev.descent.optim;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * GradInit (Zhu et al., NeurIPS 2021), as spec {@code optimizers.md} §14 describes the official
 * {@code zhuchen03/gradinit}: learns one scale {@code α_i} per parameter tensor, initialised to 1, so that the
 * loss after one step of the target optimizer (SGD or the Adam sign step, learning rate {@code η}) is as
 * small as possible, subject to a bound {@code γ} on the gradient norm; the scales are learned by
 * {@link RescaleAdam} and applied to the parameters in place as they are learned.
 *
 * <p>One iteration on half-batches {@code A, B, C} drawn from the sampler (§14):
 * <ol>
 * <li>{@code g = ∇L(θ; [A, B])} with the graph kept (gradients of gradients);
 *     {@code gnorm = ‖g‖₂} (SGD; with {@code gradinit_normalize_grad} the step uses {@code g/‖g‖₂}) or
 *     {@code ‖g‖₁} (Adam; the step uses {@code sign(g)}).</li>
 * <li>If {@code gnorm > γ}: one constraint step of RescaleAdam that lowers {@code gnorm} (its gradient
 *     flows through {@code g}).</li>
 * <li>Else: {@code θ' = θ − η·d}, objective {@code L(θ'; [A, C])/η} ({@code batch_no_overlap}: a fresh half
 *     instead of A), one objective step of RescaleAdam. As in the official code, the step direction
 *     {@code d} is treated as a constant (it is detached there), so the gradient with respect to θ is
 *     {@code ∇L(θ'; S1)/η}; {@link Options#secondOrder(boolean)} also differentiates through {@code d}
 *     (the paper's form, {@code ∇L(θ')/η − J_dᵀ∇L(θ')}, a Hessian-vector product for SGD).</li>
 * </ol>
 * The model is evaluated at {@code θ'} by giving each parameter leaf the tensor {@code θ'} for the duration
 * of the loss closure (then its own tensor back), so any model works whose forward reads its parameter
 * variables; optim does not depend on nn, so the parameters come as a name → variable map.
 *
 * <p>Which RescaleAdam group a tensor joins follows its name as the official code decides it: a name with
 * {@code bias} is a bias (min scale 0), a {@code weight} whose name mentions a norm ({@code norm},
 * {@code layer_norm}, {@code ln}) is a LayerNorm scale (min {@code gradinit_min_scale}, max
 * {@code gradinit_max_scale}, lr {@code gradinit_ln_lr}), any other {@code weight} is a weight (min
 * {@code gradinit_min_scale}); a name with neither is stepped in the inner step but not rescaled.
 * {@link Options#kindOf(Function)} overrides this.
 *
 * <p>Deterministic: the sampler is handed one {@link Rng} seeded with {@code seed}, drawn from in the
 * official order (A, B, then C, then the fresh A of {@code batch_no_overlap}).
 */
public final class GradInit {
    /** The target optimizer whose first step GradInit optimises (§14, {@code --gradinit-alg}). */
    public enum Alg {
        /** Plain SGD step {@code θ − η·g} (or {@code g/‖g‖₂} when normalised); the constraint uses ‖g‖₂. */
        SGD,
        /** Adam's first step {@code θ − η·sign(g)}; the constraint uses ‖g‖₁. */
        ADAM
    }

    /** The RescaleAdam group of a parameter tensor (§14). */
    public enum Kind {
        /** Weights: min scale {@code gradinit_min_scale}, no upper bound. */
        WEIGHT,
        /** Biases: min scale 0, no upper bound. */
        BIAS,
        /** LayerNorm scales (Transformer version): min {@code gradinit_min_scale}, max {@code gradinit_max_scale}. */
        NORM,
        /** Not rescaled (still moved by the inner optimizer step). */
        FIXED
    }

    /** The loss of the model on a batch made of the given half-batches (e.g. concatenated, or averaged). */
    @FunctionalInterface
    public interface Loss<B> {
        /** A scalar loss computed with the current parameter variables, recorded (grad mode on). */
        Variable evaluate(List<B> halves);

        /**
         * The mean of a per-half loss over the halves: equal to the loss of the concatenated batch for a
         * mean-reduced loss over equal-sized halves without batch statistics (no BatchNorm in train mode).
         */
        static <B> Loss<B> averaging(Function<B, Variable> perHalf) {
            return halves -> {
                Variable sum = null;
                for (B h : halves) {
                    Variable l = perHalf.apply(h);
                    sum = sum == null ? l : sum.add(l);
                }
                return sum.div(halves.size());
            };
        }
    }

    /** Draws one half-batch; {@code rng} is GradInit's own seeded generator (a data loader may ignore it). */
    @FunctionalInterface
    public interface BatchSampler<B> {
        B next(Rng rng);
    }

    /**
     * GradInit's options, named after the official flags ({@code --gradinit-iters} → {@link #gradinitIters}
     * and so on); defaults are those of the official CIFAR parser ({@code train_cifar.py}, §14) except where
     * noted.
     */
    public static final class Options {
        private int gradinitIters = 390;
        private double gradinitEta = 0.1;
        private double gradinitGamma = Double.POSITIVE_INFINITY;
        private Alg gradinitAlg = Alg.SGD;
        private boolean gradinitNormalizeGrad;
        private double gradinitLr = 1e-3;
        private double gradinitLnLr = -1;
        private double gradinitMinScale = 0.01;
        private double gradinitMaxScale = 100;
        private double gradinitGradClip = 1;
        private double gradinitBeta1 = 0.9;
        private double gradinitBeta2 = 0.999;
        private double gradinitEps = 1e-8;
        private boolean batchNoOverlap;
        private boolean secondOrder;
        private boolean sharedSecondMoment = true;
        private long seed;
        private Function<String, Kind> kindOf = GradInit::defaultKind;

        /** {@code --gradinit-iters}: number of iterations (default 390, one CIFAR-10 epoch at batch 128). */
        public Options gradinitIters(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("GradInit: gradinit_iters must be >= 0, got " + v);
            }
            gradinitIters = v;
            return this;
        }

        /** {@code --gradinit-eta}: the learning rate η of the target optimizer's step (default 0.1). */
        public Options gradinitEta(double v) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("GradInit: gradinit_eta must be > 0, got " + v);
            }
            gradinitEta = v;
            return this;
        }

        /** {@code --gradinit-gamma}: the gradient-norm bound γ (parser default ∞; the launch scripts use 1). */
        public Options gradinitGamma(double v) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("GradInit: gradinit_gamma must be > 0, got " + v);
            }
            gradinitGamma = v;
            return this;
        }

        /** {@code --gradinit-alg}: {@link Alg#SGD} (default) or {@link Alg#ADAM}. */
        public Options gradinitAlg(Alg v) {
            gradinitAlg = v;
            return this;
        }

        /** {@code --gradinit-normalize-grad}: SGD steps along {@code g/‖g‖₂} (default false; scripts set it). */
        public Options gradinitNormalizeGrad(boolean v) {
            gradinitNormalizeGrad = v;
            return this;
        }

        /** {@code --gradinit-lr}: RescaleAdam's learning rate (default 1e-3). */
        public Options gradinitLr(double v) {
            gradinitLr = v;
            return this;
        }

        /** {@code --gradinit-ln-lr} (fairseq): RescaleAdam's lr for LayerNorm scales; negative (default): gradinit_lr. */
        public Options gradinitLnLr(double v) {
            gradinitLnLr = v;
            return this;
        }

        /** {@code --gradinit-min-scale}: lower bound of the weights' α (default 0.01; biases use 0). */
        public Options gradinitMinScale(double v) {
            gradinitMinScale = v;
            return this;
        }

        /** {@code --gradinit-max-scale} (fairseq): upper bound of the LayerNorm scales' α (default 100). */
        public Options gradinitMaxScale(double v) {
            gradinitMaxScale = v;
            return this;
        }

        /** {@code --gradinit-grad-clip}: clip of each α's gradient to [−c, c]; 0 or less: none (default 1). */
        public Options gradinitGradClip(double v) {
            gradinitGradClip = v;
            return this;
        }

        /** {@code --gradinit-beta1} (fairseq): RescaleAdam's β1 (default 0.9). */
        public Options gradinitBeta1(double v) {
            gradinitBeta1 = v;
            return this;
        }

        /** {@code --gradinit-beta2} (fairseq): RescaleAdam's β2 (default 0.999; the IWSLT script uses 0.98). */
        public Options gradinitBeta2(double v) {
            gradinitBeta2 = v;
            return this;
        }

        /** RescaleAdam's ε (the official code's default 1e-8; no flag there). */
        public Options gradinitEps(double v) {
            gradinitEps = v;
            return this;
        }

        /** {@code --batch_no_overlap}: the objective batch uses a fresh half instead of re-using A (default false). */
        public Options batchNoOverlap(boolean v) {
            batchNoOverlap = v;
            return this;
        }

        /**
         * Differentiate the objective through the step direction too (the paper's form; not in the official
         * code, which detaches it). Default false.
         */
        public Options secondOrder(boolean v) {
            secondOrder = v;
            return this;
        }

        /**
         * RescaleAdam's second moment shared by constraint and objective steps (true, default: the CIFAR
         * version, §14) or kept per kind of step (false: the fairseq version).
         */
        public Options sharedSecondMoment(boolean v) {
            sharedSecondMoment = v;
            return this;
        }

        /** The seed of the generator handed to the batch sampler (default 0). */
        public Options seed(long v) {
            seed = v;
            return this;
        }

        /** Which RescaleAdam group each parameter name joins (default: by name, as the official code). */
        public Options kindOf(Function<String, Kind> v) {
            kindOf = v;
            return this;
        }

        public int gradinitIters() {
            return gradinitIters;
        }

        public double gradinitEta() {
            return gradinitEta;
        }

        public double gradinitGamma() {
            return gradinitGamma;
        }

        public Alg gradinitAlg() {
            return gradinitAlg;
        }
    }

    /**
     * One iteration's record: whether it was a constraint step, the gradient norm at its start, the loss on
     * S0 and (objective steps only, else NaN) the loss after the inner step on S1 and the objective
     * {@code L(θ'; S1)/η}.
     */
    public record Step(int iteration, boolean constraint, double gnorm, double initLoss, double updatedLoss,
                       double objective) {
    }

    /** What a run produced: the final α per rescaled tensor, every iteration's record, the constraint count. */
    public record Result(Map<String, Double> scales, List<Step> history, int constraintCount) {
    }

    private final Map<String, Variable> params;
    private final List<String> names;
    private final List<Variable> vars;
    private final Options options;
    private final RescaleAdam rescaler;

    /**
     * GradInit over {@code params} (e.g. {@code model.namedParameters()}) with {@code options}; the initial
     * norms are recorded now, so the parameters must hold their default initialisation.
     */
    public GradInit(Map<String, Variable> params, Options options) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("GradInit: no parameters given");
        }
        this.params = new LinkedHashMap<>(params);
        this.names = new ArrayList<>(this.params.keySet());
        this.vars = new ArrayList<>(this.params.values());
        this.options = options;
        double lnLr = options.gradinitLnLr < 0 ? options.gradinitLr : options.gradinitLnLr;
        Map<String, RescaleAdam.Settings> settings = new LinkedHashMap<>();
        this.params.forEach((n, p) -> {
            if (!p.requiresGrad() || !p.isLeaf()) {
                throw new IllegalArgumentException("GradInit: parameter '" + n + "' must be a leaf that requires a"
                        + " gradient");
            }
            Kind k = options.kindOf.apply(n);
            switch (k) {
                case WEIGHT -> settings.put(n, new RescaleAdam.Settings(options.gradinitLr, options.gradinitMinScale,
                        Double.POSITIVE_INFINITY));
                case BIAS -> settings.put(n, new RescaleAdam.Settings(options.gradinitLr, 0,
                        Double.POSITIVE_INFINITY));
                case NORM -> settings.put(n, new RescaleAdam.Settings(lnLr, options.gradinitMinScale,
                        options.gradinitMaxScale));
                case FIXED -> { }
                default -> throw new IllegalStateException(k.toString());
            }
        });
        this.rescaler = new RescaleAdam(this.params, settings, options.gradinitBeta1, options.gradinitBeta2,
                options.gradinitEps, options.gradinitGradClip, options.sharedSecondMoment);
    }

    /**
     * The official grouping by name (§14): {@code bias} → {@link Kind#BIAS}; {@code weight} with a norm in
     * its name → {@link Kind#NORM}; other {@code weight} → {@link Kind#WEIGHT}; anything else
     * {@link Kind#FIXED}.
     */
    public static Kind defaultKind(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.contains("bias")) {
            return Kind.BIAS;
        }
        if (n.contains("weight")) {
            String[] parts = n.split("\\.");
            for (String part : parts) {
                if (part.contains("norm") || part.equals("ln") || part.startsWith("ln_") || part.matches("ln\\d*")) {
                    return Kind.NORM;
                }
            }
            return Kind.WEIGHT;
        }
        return Kind.FIXED;
    }

    /** The RescaleAdam behind this run (its α per tensor and per-tensor settings). */
    public RescaleAdam rescaler() {
        return rescaler;
    }

    /** The current α of every rescaled tensor by name. */
    public Map<String, Double> scales() {
        return rescaler.alphas();
    }

    /**
     * Runs {@code gradinit_iters} iterations (§14) with a sampler seeded by {@code seed}; the parameters end
     * rescaled in place by their learned α.
     */
    public <B> Result run(Loss<B> loss, BatchSampler<B> sampler) {
        Rng rng = new Rng(options.seed);
        List<Step> history = new ArrayList<>();
        int constraints = 0;
        for (int it = 0; it < options.gradinitIters; it++) {
            Step s = step(it, loss, sampler, rng);
            history.add(s);
            if (s.constraint()) {
                constraints++;
            }
        }
        return new Result(scales(), List.copyOf(history), constraints);
    }

    /** One iteration (§14) drawing its half-batches from {@code sampler} with {@code rng}. */
    public <B> Step step(int iteration, Loss<B> loss, BatchSampler<B> sampler, Rng rng) {
        B a = sampler.next(rng);
        B b = sampler.next(rng);
        Variable initLoss;
        List<Variable> grads;
        Variable gnorm;
        try (Autograd.Scope ignored = Autograd.enableGrad()) {
            initLoss = loss.evaluate(Arrays.asList(a, b));
            grads = Autograd.grad(List.of(initLoss), vars, null, true, true, true);
            gnorm = norm(grads, options.gradinitAlg);
        }
        double gn = gnorm.item();
        if (gn > options.gradinitGamma) {
            List<Variable> cg;
            try (Autograd.Scope ignored = Autograd.enableGrad()) {
                cg = Autograd.grad(List.of(gnorm), vars, null, false, false, true);
            }
            rescaler.step(byName(cg), true);
            return new Step(iteration, true, gn, initLoss.item(), Double.NaN, Double.NaN);
        }
        B c = sampler.next(rng);
        if (options.batchNoOverlap) {
            a = sampler.next(rng);
        }
        double eta = options.gradinitEta;
        List<Variable> dirs = direction(grads, gnorm, options.gradinitAlg, options.gradinitNormalizeGrad);
        List<Tensor> original = new ArrayList<>(vars.size());
        Variable updatedLoss;
        List<Variable> u;
        try {
            for (int i = 0; i < vars.size(); i++) {
                Variable p = vars.get(i);
                original.add(p.value());
                Variable d = dirs.get(i);
                p.setValue(d == null ? p.value() : p.value().sub(d.value().mul(eta)));
            }
            try (Autograd.Scope ignored = Autograd.enableGrad()) {
                updatedLoss = loss.evaluate(Arrays.asList(a, c));
                u = Autograd.grad(List.of(updatedLoss), vars, null, false, false, true);
            }
        } finally {
            for (int i = 0; i < original.size(); i++) {
                vars.get(i).setValue(original.get(i));
            }
        }
        Map<String, Tensor> objGrads = new LinkedHashMap<>();
        for (int i = 0; i < vars.size(); i++) {
            Variable ui = u.get(i);
            objGrads.put(names.get(i), ui == null ? null : ui.value().mul(1.0 / eta));
        }
        if (options.secondOrder && options.gradinitAlg == Alg.SGD) {
            // ∇θ J = u/η − J_dᵀ u, with J_dᵀ u = ∇θ ⟨d(θ), u⟩ (u held constant).
            Variable inner = null;
            try (Autograd.Scope ignored = Autograd.enableGrad()) {
                for (int i = 0; i < vars.size(); i++) {
                    Variable d = dirs.get(i);
                    if (d == null || u.get(i) == null || !d.requiresGrad()) {
                        continue;
                    }
                    Variable term = d.mul(Variable.constant(u.get(i).value())).sum();
                    inner = inner == null ? term : inner.add(term);
                }
                if (inner != null) {
                    List<Variable> jtu = Autograd.grad(List.of(inner), vars, null, false, false, true);
                    for (int i = 0; i < vars.size(); i++) {
                        Variable v = jtu.get(i);
                        Tensor cur = objGrads.get(names.get(i));
                        if (v != null) {
                            objGrads.put(names.get(i), cur == null ? v.value().neg() : cur.sub(v.value()));
                        }
                    }
                }
            }
        }
        rescaler.step(objGrads, false);
        double ul = updatedLoss.item();
        return new Step(iteration, false, gn, initLoss.item(), ul, ul / eta);
    }

    // ------------------------------------------------------------------ helpers usable on their own

    /**
     * The gradient norm GradInit constrains (§14): ‖∇L(θ; halves)‖₂ for SGD, ‖·‖₁ for Adam, over all
     * {@code params}; evaluated without changing anything.
     */
    public static <B> double gradNorm(Map<String, Variable> params, Loss<B> loss, List<B> halves, Alg alg) {
        List<Variable> vs = new ArrayList<>(params.values());
        try (Autograd.Scope ignored = Autograd.enableGrad()) {
            Variable l = loss.evaluate(halves);
            List<Variable> g = Autograd.grad(List.of(l), vs, null, false, false, true);
            return norm(g, alg).item();
        }
    }

    /**
     * The loss after one step of the target optimizer (§14): {@code L(θ − η·d; s1)} with {@code d} from
     * {@code ∇L(θ; s0)} ({@code g}, {@code g/‖g‖₂} when {@code normalize}, or {@code sign(g)} for Adam);
     * the parameters are left as they were.
     */
    public static <B> double lossAfterStep(Map<String, Variable> params, Loss<B> loss, List<B> s0, List<B> s1,
                                           Alg alg, double eta, boolean normalize) {
        List<Variable> vs = new ArrayList<>(params.values());
        List<Variable> dirs;
        try (Autograd.Scope ignored = Autograd.enableGrad()) {
            Variable l = loss.evaluate(s0);
            List<Variable> g = Autograd.grad(List.of(l), vs, null, false, false, true);
            dirs = direction(g, norm(g, alg), alg, normalize);
        }
        List<Tensor> original = new ArrayList<>(vs.size());
        try {
            for (int i = 0; i < vs.size(); i++) {
                Variable p = vs.get(i);
                original.add(p.value());
                Variable d = dirs.get(i);
                p.setValue(d == null ? p.value() : p.value().sub(d.value().mul(eta)));
            }
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                return loss.evaluate(s1).item();
            }
        } finally {
            for (int i = 0; i < original.size(); i++) {
                vs.get(i).setValue(original.get(i));
            }
        }
    }

    private static Variable norm(List<Variable> grads, Alg alg) {
        Variable acc = null;
        for (Variable g : grads) {
            if (g == null) {
                continue;
            }
            Variable t = alg == Alg.ADAM ? g.abs().sum() : g.square().sum();
            acc = acc == null ? t : acc.add(t);
        }
        if (acc == null) {
            throw new IllegalArgumentException("GradInit: the loss depends on none of the parameters");
        }
        return alg == Alg.ADAM ? acc : acc.sqrt();
    }

    private static List<Variable> direction(List<Variable> grads, Variable gnorm, Alg alg, boolean normalize) {
        List<Variable> out = new ArrayList<>(grads.size());
        for (Variable g : grads) {
            if (g == null) {
                out.add(null);
            } else if (alg == Alg.ADAM) {
                out.add(Variable.constant(g.value().sign()));
            } else {
                out.add(normalize ? g.div(gnorm) : g);
            }
        }
        return out;
    }

    private Map<String, Tensor> byName(List<Variable> grads) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Variable g = grads.get(i);
            out.put(names.get(i), g == null ? null : g.value());
        }
        return out;
    }
}
