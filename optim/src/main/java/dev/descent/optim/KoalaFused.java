package dev.descent.optim;

import dev.descent.tensor.FusedRule;
import dev.descent.tensor.Tensor;

/**
 * KOALA's per-parameter passes over memory for contiguous tensors, allocating nothing, with the results bit
 * for bit of the in-place operations {@link Koala} takes otherwise: one pass for a layer's three norms
 * ({@link FusedRule#SQUARED_NORMS}), one for its update (KOALA-V's {@code θ −= scale ∇} as {@link FusedRule#SGD},
 * KOALA-M's {@link FusedRule#KOALA_APPLY}), and KOALA-M's predict ({@link FusedRule#KOALA_PREDICT}). The norms of
 * the last {@link #norms} call are read with {@link #gradNorm()}, {@link #hNorm()} and {@link #paramNorm()}.
 */
final class KoalaFused {
    private final FusedStep norms = new FusedStep(FusedRule.SQUARED_NORMS);
    private final FusedStep sgd = new FusedStep(FusedRule.SGD);
    private final FusedStep momentum = new FusedStep(FusedRule.KOALA_APPLY);
    private final FusedStep predict = new FusedStep(FusedRule.KOALA_PREDICT);
    private double gradNorm;
    private double hNorm;
    private double paramNorm;

    /** The norms of ∇, {@code h = ∇ + wd θ} and θ in one pass; false (nothing done) if the tensors do not qualify. */
    boolean norms(Tensor theta, Tensor grad, double wd) {
        if (!norms.begin(theta, grad)) {
            return false;
        }
        norms.put(wd).run();
        gradNorm = Paper2Support.norm(norms.output(0), theta.dtype());
        hNorm = Paper2Support.norm(norms.output(1), theta.dtype());
        paramNorm = Paper2Support.norm(norms.output(2), theta.dtype());
        return true;
    }

    double gradNorm() {
        return gradNorm;
    }

    double hNorm() {
        return hNorm;
    }

    double paramNorm() {
        return paramNorm;
    }

    /** ‖θ‖ in one pass, or NaN if θ does not qualify. */
    double norm(Tensor theta) {
        return norms(theta, theta, 0) ? paramNorm : Double.NaN;
    }

    /** KOALA-V's {@code θ += step ∇} (after {@link #norms} qualified the tensors). */
    void vanillaStep(Tensor theta, Tensor grad, double step) {
        sgd.begin(theta, grad);
        sgd.put(false).put(0).put(0).put(1).put(false).put(true).put(step).run();
    }

    /** KOALA-M's {@code θ += k1 h}, {@code u += k2 h}, {@code w̄ ← 0.9 w̄ + 0.1 θ}; false if they do not qualify. */
    boolean momentumStep(Tensor theta, Tensor grad, Tensor u, Tensor avg, double wd, double k1, double k2) {
        if (!momentum.begin(theta, grad, u, avg)) {
            return false;
        }
        momentum.put(wd).put(k1).put(k2).put(0.9).put(0.1).run();
        return true;
    }

    /** KOALA-M's predict of one parameter: returns ‖w̄ − θ‖, then θ += u, u ← a u; NaN (nothing done) if not fused. */
    double predict(Tensor theta, Tensor u, Tensor avg, double a) {
        if (!predict.begin(theta, u, avg)) {
            return Double.NaN;
        }
        predict.put(a).run();
        return Paper2Support.norm(predict.output(0), theta.dtype());
    }
}
