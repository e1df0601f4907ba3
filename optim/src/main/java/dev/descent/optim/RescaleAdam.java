package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * GradInit's optimizer of the scales (spec {@code optimizers.md} §14, {@code RescaleAdam} of the official
 * {@code zhuchen03/gradinit}): a scalar Adam on one multiplier {@code α_i} per parameter tensor, the tensor
 * being kept as {@code θ_i = α_i·θ_i⁰} (only the norm {@code ‖θ_i⁰‖} is stored).
 *
 * <p>Per tensor and step: the gradient with respect to α is {@code ⟨∇_θ obj, θ⟩·‖θ⁰‖/‖θ‖}, clipped to
 * {@code [−c, c]} when {@code c = grad_clip > 0}; constraint steps and objective steps keep separate first
 * moments (each bias-corrected by its own count); the second moment is shared and bias-corrected by the
 * total number of steps (§14, CIFAR version), or, with {@code sharedSecondMoment = false}, kept per kind of
 * step as the fairseq version does; then {@code α ← min(max(α − lr·m̂/(sqrt(v̂)+ε), min_scale), max_scale)}
 * and the tensor is rescaled in place to norm {@code α·‖θ⁰‖}. A tensor whose initial or current norm is 0
 * (a zero-initialised bias) is skipped, as in the official code.
 */
public final class RescaleAdam {
    /** Per-tensor hyperparameters: learning rate and the bounds of α (§14: min 0.01 for weights, 0 for biases). */
    public record Settings(double lr, double minScale, double maxScale) {
        public Settings {
            if (!(lr >= 0) || minScale < 0 || !(maxScale >= minScale)) {
                throw new IllegalArgumentException("RescaleAdam: need lr >= 0 and 0 <= min_scale <= max_scale, got lr "
                        + lr + ", min_scale " + minScale + ", max_scale " + maxScale);
            }
        }
    }

    private static final class State {
        final Variable param;
        final Settings settings;
        final double initNorm;
        double alpha = 1.0;
        int step;
        int consStep;
        double expAvg;
        double consExpAvg;
        double expAvgSq;
        double consExpAvgSq;

        State(Variable param, Settings settings) {
            this.param = param;
            this.settings = settings;
            this.initNorm = param.value().norm(2).item();
        }
    }

    private final Map<String, State> states = new LinkedHashMap<>();
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double gradClip;
    private final boolean sharedSecondMoment;

    /**
     * Scales for {@code params} (each with its {@link Settings}; a parameter missing from {@code settings} is
     * not rescaled), Adam's {@code betas} and {@code eps}, the clip {@code gradClip} (0 or less: none) and the
     * layout of the second moment (§14: shared in the CIFAR version, per kind of step in the fairseq one).
     * The initial norms are taken now.
     */
    public RescaleAdam(Map<String, Variable> params, Map<String, Settings> settings, double beta1, double beta2,
                       double eps, double gradClip, boolean sharedSecondMoment) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0)) {
            throw new IllegalArgumentException("RescaleAdam: need 0 <= beta < 1 and eps >= 0, got betas (" + beta1
                    + ", " + beta2 + "), eps " + eps);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.gradClip = gradClip;
        this.sharedSecondMoment = sharedSecondMoment;
        params.forEach((name, p) -> {
            Settings s = settings.get(name);
            if (s != null) {
                states.put(name, new State(p, s));
            }
        });
    }

    /**
     * One step from the gradients of the objective with respect to the parameter tensors ({@code grads} by
     * name; a missing or null entry skips that tensor); {@code isConstraint} selects the constraint moments.
     * Returns the (unclipped) gradient of each updated α by name.
     */
    public Map<String, Double> step(Map<String, @Nullable Tensor> grads, boolean isConstraint) {
        Map<String, Double> alphaGrads = new LinkedHashMap<>();
        for (Map.Entry<String, State> e : states.entrySet()) {
            State st = e.getValue();
            Tensor g = grads.get(e.getKey());
            if (g == null) {
                continue;
            }
            Tensor theta = st.param.value();
            double currNorm = theta.norm(2).item();
            if (st.initNorm == 0 || currNorm == 0) {
                continue;
            }
            double grad = g.mul(theta).sum().item() * st.initNorm / currNorm;
            alphaGrads.put(e.getKey(), grad);
            if (gradClip > 0) {
                grad = Math.max(Math.min(grad, gradClip), -gradClip);
            }
            int steps;
            double expAvg;
            double expAvgSq;
            int sqSteps;
            if (isConstraint) {
                st.consStep++;
                st.consExpAvg = st.consExpAvg * beta1 + grad * (1 - beta1);
                steps = st.consStep;
                expAvg = st.consExpAvg;
                if (sharedSecondMoment) {
                    st.expAvgSq = st.expAvgSq * beta2 + grad * grad * (1 - beta2);
                    expAvgSq = st.expAvgSq;
                    sqSteps = st.step + st.consStep;
                } else {
                    st.consExpAvgSq = st.consExpAvgSq * beta2 + grad * grad * (1 - beta2);
                    expAvgSq = st.consExpAvgSq;
                    sqSteps = st.consStep;
                }
            } else {
                st.step++;
                st.expAvg = st.expAvg * beta1 + grad * (1 - beta1);
                steps = st.step;
                expAvg = st.expAvg;
                st.expAvgSq = st.expAvgSq * beta2 + grad * grad * (1 - beta2);
                expAvgSq = st.expAvgSq;
                sqSteps = sharedSecondMoment ? st.step + st.consStep : st.step;
            }
            double bc1 = 1 - Math.pow(beta1, steps);
            double bc2 = 1 - Math.pow(beta2, sqSteps);
            double denom = Math.sqrt(expAvgSq / bc2) + eps;
            double alpha = Math.max(st.alpha - st.settings.lr() / bc1 * expAvg / denom, st.settings.minScale());
            st.alpha = Math.min(alpha, st.settings.maxScale());
            theta.mul_(st.alpha * st.initNorm / currNorm);
        }
        return alphaGrads;
    }

    /** The current α of every rescaled tensor by name (1 for one never updated). */
    public Map<String, Double> alphas() {
        Map<String, Double> out = new LinkedHashMap<>();
        states.forEach((n, s) -> out.put(n, s.alpha));
        return out;
    }

    /** The settings each rescaled tensor runs with, by name. */
    public Map<String, Settings> settings() {
        Map<String, Settings> out = new LinkedHashMap<>();
        states.forEach((n, s) -> out.put(n, s.settings));
        return out;
    }
}
