package dev.descent.optim;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * KOALA, Kalman optimization for deep learning (Davtyan et al., AAAI 2022), as the official
 * {@code Araachie/koala} code (spec/optimizers.md §10): the step is split into {@link #predict()}, called
 * before the forward pass, and {@link #update(double, double)}, called after backward with the batch-mean loss
 * and the mean of the squared per-sample losses ({@code mean(ℓ_i²)}, the reference's {@code loss_var}).
 * {@link #step(LossClosure)} does the three in order; the plain {@link #step()} is refused.
 *
 * <p>Group hyperparameters (schedulable): {@code lr} (default 1) and {@code weight_decay} (default 0; the
 * reference keeps one value for all parameters). Filter settings (constructor map, spec §10 defaults in
 * {@link Vanilla#SETTINGS} and {@link Momentum#SETTINGS}): {@code r} is the fixed measurement noise, NaN (the
 * default) for the adaptive estimate {@code R ← α_r R + (1 − α_r) lossStat} started at 1. The measurement
 * residual is {@code L − target}, with the target loss a hook ({@link #setTargetLoss}) that defaults to 0 as the
 * reference. Layers whose gradient norm is below 1e-9 are skipped, as the reference.
 *
 * <p>State: the filter's scalars and settings ({@code "koala/"} scalars) and, for KOALA-M, each parameter's
 * velocity and weight average; everything resumes exactly. Contiguous parameters take the fused passes of
 * {@link KoalaFused} (the same results bit for bit, nothing allocated); the others the in-place operations.
 */
public abstract class Koala extends Optimizer {
    /** The gradient norm below which a layer is skipped, as the reference. */
    public static final double SKIP_NORM = 1e-9;
    /** Group defaults: lr 1, no weight decay. */
    public static final Map<String, Double> DEFAULTS = Map.of("lr", 1.0, "weight_decay", 0.0);

    /** A batch's loss for {@link #update}: its mean and the mean of the squared per-sample losses. */
    public record Loss(double value, double meanSquare) {
    }

    /** Computes the loss and calls backward (recording on); used by {@link #step(LossClosure)}. */
    @FunctionalInterface
    public interface LossClosure {
        /** Forward, backward, and the batch's loss statistics. */
        Loss compute();
    }

    private final KoalaFilter filter;
    private DoubleSupplier targetLoss = () -> 0.0;
    private double residual;
    private double currentR;
    private double maxEntry;
    private boolean anyLayer;
    /** The fused passes, shared by the subclasses. */
    final KoalaFused fused = new KoalaFused();

    Koala(String name, List<ParamGroup> groups, Map<String, Double> defaults, Map<String, Double> settings) {
        super(name, groups, DEFAULTS);
        this.filter = new KoalaFilter(name, defaults, settings);
    }

    @Override
    protected void validate(ParamGroup g) {
        Validation.nonNegative(name(), g, "lr", "weight_decay");
    }

    /** Setting {@code key} as given to the constructor or defaulted. */
    public double setting(String key) {
        return filter.setting(key);
    }

    /** Whether the measurement noise R is estimated online ({@code r} NaN). */
    public boolean adaptiveR() {
        return filter.adaptiveR();
    }

    /** The current measurement noise R (the online estimate, or the fixed {@code r}). */
    public double measurementNoise() {
        return filter.measurementNoise();
    }

    /** Sets the target loss hook (the measurement is {@code loss − target}); defaults to 0 as the reference. */
    public void setTargetLoss(DoubleSupplier target) {
        this.targetLoss = target;
    }

    /** Refused: KOALA needs the loss; use {@link #predict()} and {@link #update}, or {@link #step(LossClosure)}. */
    @Override
    public void step() {
        throw new UnsupportedOperationException(name() + " needs the loss: call predict() before the forward pass and"
                + " update(loss, meanSquaredSampleLoss) after backward, or step(LossClosure)");
    }

    /** Refused, as {@link #step()}: a plain closure gives no per-sample statistic. */
    @Override
    public double step(DoubleSupplier closure) {
        step();
        return Double.NaN;
    }

    /** {@link #predict()}, then the closure (recording on), then {@link #update}; returns the loss. */
    public double step(LossClosure closure) {
        predict();
        Loss loss;
        try (Autograd.Scope scope = Autograd.enableGrad()) {
            loss = closure.compute();
        }
        update(loss.value(), loss.meanSquare());
        return loss.value();
    }

    /** The predict phase (before the forward pass): propagates the state and the covariance (spec §10). */
    public final void predict() {
        boolean recording = Autograd.setGradEnabled(false); // no scope object: a step allocates nothing
        try {
            doPredict();
        } finally {
            Autograd.setGradEnabled(recording);
        }
    }

    /**
     * The update phase (after backward): the Kalman update of every parameter with a gradient from the batch-mean
     * {@code loss} and {@code lossMeanSquare} = {@code mean(ℓ_i²)} over the batch (spec §10).
     */
    public final void update(double loss, double lossMeanSquare) {
        currentR = filter.observe(lossMeanSquare);
        residual = loss - targetLoss.getAsDouble();
        maxEntry = Double.NEGATIVE_INFINITY;
        anyLayer = false;
        super.step();
        if (anyLayer) {
            updateCovariance(maxEntry);
        }
    }

    /** The measurement residual of the current update ({@code loss − target}). */
    double residual() {
        return residual;
    }

    /** R for the current update. */
    double currentR() {
        return currentR;
    }

    /** Records a layer's {@code ‖h‖²/S} for the covariance update. */
    void record(double entry) {
        anyLayer = true;
        maxEntry = Math.max(maxEntry, entry);
    }

    abstract void doPredict();

    abstract void updateCovariance(double hh);

    abstract void ownScalars(Map<String, Object> out);

    abstract void loadOwn(Map<String, ?> scalars);

    /** The per-parameter scalars and the filter's ({@code koala/} keys: covariance, R, settings). */
    @Override
    public Map<String, Object> stateScalars() {
        Map<String, Object> out = super.stateScalars();
        filter.save(out);
        ownScalars(out);
        return out;
    }

    /** Restores the parameters' state and the filter's; fails naming every missing {@code koala/} value. */
    @Override
    public void loadState(Map<String, Tensor> tensors, Map<String, ?> scalars) {
        List<String> problems = new ArrayList<>();
        filter.check(scalars, problems);
        checkOwn(scalars, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(name() + ".loadState: " + String.join("; ", problems));
        }
        super.loadState(tensors, scalars);
        filter.load(scalars);
        loadOwn(scalars);
    }

    abstract void checkOwn(Map<String, ?> scalars, List<String> problems);

    static double norm(Tensor t) {
        return t.norm(2).item();
    }

    /**
     * KOALA-V ({@code VanillaKOALA}, spec §10): a scalar covariance P; {@code predict}: {@code P ← P + Q};
     * {@code update}: per layer {@code h = ∇ + λθ}, {@code S = P‖h‖² + R},
     * {@code θ ← θ − lr (L + ½λ‖θ‖²) P/S · ∇} (the raw gradient, as the reference), then
     * {@code P ← P − P² max(‖h‖²/S)}.
     */
    public static final class Vanilla extends Koala {
        /** The reference class's settings: sigma (initial P) 1, q 1, adaptive r (NaN), alpha_r 0.9. */
        public static final Map<String, Double> SETTINGS = Map.of("sigma", 1.0, "q", 1.0, "r", Double.NaN, "alpha_r", 0.9);

        private double p;

        /** One group of {@code params} with the defaults and the settings {@link #SETTINGS}. */
        public Vanilla(Map<String, Variable> params) {
            this(single(params), Map.of());
        }

        /** Parameter groups (defaults {@link Koala#DEFAULTS}) and settings overriding {@link #SETTINGS}. */
        public Vanilla(List<ParamGroup> groups, Map<String, Double> settings) {
            super("KoalaV", groups, SETTINGS, settings);
            this.p = setting("sigma");
        }

        /** The covariance P. */
        public double covariance() {
            return p;
        }

        @Override
        void doPredict() {
            p += setting("q");
        }

        @Override
        protected void update(ParamGroup g, Variable param, Tensor grad, ParamState state) {
            state.advance();
            Tensor theta = param.value();
            double wd = g.get("weight_decay");
            boolean fuse = fused.norms(theta, grad, wd);
            if ((fuse ? fused.gradNorm() : norm(grad)) < SKIP_NORM) {
                return;
            }
            double hn = fuse ? fused.hNorm() : norm(grad.add(theta, wd));
            double s = p * (hn * hn) + currentR();
            double tn = fuse ? fused.paramNorm() : norm(theta);
            double layerLoss = residual() + 0.5 * wd * (tn * tn);
            double scale = g.get("lr") * layerLoss * p / s;
            if (fuse) {
                fused.vanillaStep(theta, grad, -scale);
            } else {
                theta.add_(grad, -scale);
            }
            record(hn * hn / s);
        }

        @Override
        void updateCovariance(double hh) {
            p -= p * p * hh;
        }

        @Override
        void ownScalars(Map<String, Object> out) {
            out.put("koala/P", p);
        }

        @Override
        void checkOwn(Map<String, ?> scalars, List<String> problems) {
            if (!(scalars.get("koala/P") instanceof Number)) {
                problems.add("no value for 'koala/P'");
            }
        }

        @Override
        void loadOwn(Map<String, ?> scalars) {
            p = ((Number) scalars.get("koala/P")).doubleValue();
        }
    }

    /**
     * KOALA-M ({@code MomentumKOALA}, spec §10): per-parameter velocity u and weight average w̄, a shared 2×2
     * covariance P (float64), transition {@code F = [[1, 1], [0, a]]}, {@code Q = diag(q_w, q_v)} with q_w an
     * average (0.9) of the weights' distance to w̄. {@code predict}: {@code θ ← θ + u}, {@code u ← a u},
     * {@code P ← F P Fᵀ + Q}; {@code update}: per layer {@code h = ∇ + λθ}, {@code S = ‖h‖² P00 + R},
     * {@code θ ← θ − lr L P00/S h}, {@code u ← u − lr L P10/S h}, {@code w̄ ← 0.9 w̄ + 0.1 θ}; then
     * {@code P ← P − P diag(max ‖h‖²/S, 0) Pᵀ}. Unlike the reference, P, F and Q are not rounded through float32
     * when built.
     */
    public static final class Momentum extends Koala {
        /** The reference class's settings: sw 0.1, sc 0, sv 0.1, a 0.9, qw 0.01, qv 0.01, adaptive r, alpha_r 0.9. */
        public static final Map<String, Double> SETTINGS = Map.of("sw", 0.1, "sc", 0.0, "sv", 0.1, "a", 0.9,
                "qw", 1e-2, "qv", 1e-2, "r", Double.NaN, "alpha_r", 0.9);

        private final KoalaCovariance p;
        private final long totalParams;

        /** One group of {@code params} with the defaults and the settings {@link #SETTINGS}. */
        public Momentum(Map<String, Variable> params) {
            this(single(params), Map.of());
        }

        /** Parameter groups (defaults {@link Koala#DEFAULTS}) and settings overriding {@link #SETTINGS}. */
        public Momentum(List<ParamGroup> groups, Map<String, Double> settings) {
            super("KoalaM", groups, SETTINGS, settings);
            p = new KoalaCovariance(setting("sw"), setting("sc"), setting("sv"), setting("qw"));
            long n = 0;
            for (ParamGroup g : paramGroups()) {
                for (Variable v : g.params().values()) {
                    n += v.value().numel();
                }
            }
            totalParams = n;
        }

        /** Entry (i, j) of the covariance P. */
        public double covariance(int i, int j) {
            return p.get(i, j);
        }

        @Override
        void doPredict() {
            double a = setting("a");
            double sumSquares = 0;
            List<ParamGroup> groups = paramGroups();
            for (int gi = 0; gi < groups.size(); gi++) {
                List<Variable> params = groups.get(gi).paramList();
                for (int j = 0; j < params.size(); j++) {
                    double d = predict(params.get(j), a);
                    sumSquares += d * d;
                }
            }
            p.predict(a, Math.sqrt(sumSquares) / totalParams, setting("qv"));
        }

        /** One parameter's predict: returns its weights' distance to their average (its norm before any update). */
        private double predict(Variable v, double a) {
            Tensor theta = v.value();
            ParamState s = state(v);
            if (s == null) {
                double d = fused.norm(theta);
                return Double.isNaN(d) ? norm(theta) : d;
            }
            Tensor u = s.buffer("velocity");
            Tensor avg = s.buffer("weight_avg");
            double d = fused.predict(theta, u, avg, a);
            if (Double.isNaN(d)) {
                d = norm(avg.sub(theta));
                theta.add_(u);
                u.mul_(a);
            }
            return d;
        }

        @Override
        protected void update(ParamGroup g, Variable param, Tensor grad, ParamState state) {
            state.advance();
            Tensor theta = param.value();
            Tensor u = state.zeroBuffer("velocity", theta);
            Tensor avg = state.zeroBuffer("weight_avg", theta);
            double wd = g.get("weight_decay");
            boolean fuse = fused.norms(theta, grad, wd);
            if ((fuse ? fused.gradNorm() : norm(grad)) < SKIP_NORM) {
                return;
            }
            Tensor h = fuse ? null : grad.add(theta, wd);
            double hn = fuse ? fused.hNorm() : norm(h);
            double s = hn * hn * p.get(0, 0) + currentR();
            double tn = fuse ? fused.paramNorm() : norm(theta);
            double layerLoss = residual() + 0.5 * wd * (tn * tn);
            double lr = g.get("lr");
            double k1 = p.get(0, 0) / s * layerLoss * lr;
            double k2 = p.get(1, 0) / s * layerLoss * lr;
            if (!fuse || !fused.momentumStep(theta, grad, u, avg, wd, -k1, -k2)) {
                if (h == null) {
                    h = grad.add(theta, wd);
                }
                theta.add_(h, -k1);
                u.add_(h, -k2);
                avg.mul_(0.9).add_(theta, 0.1);
            }
            record(hn * hn / s);
        }

        @Override
        void updateCovariance(double hh) {
            p.update(hh);
        }

        @Override
        void ownScalars(Map<String, Object> out) {
            p.save(out);
        }

        @Override
        void checkOwn(Map<String, ?> scalars, List<String> problems) {
            KoalaCovariance.check(scalars, problems);
        }

        @Override
        void loadOwn(Map<String, ?> scalars) {
            p.load(scalars);
        }
    }
}
