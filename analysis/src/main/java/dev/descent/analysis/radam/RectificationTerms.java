package dev.descent.analysis.radam;

/**
 * The closed forms of RAdam (spec/analysis.md §4): the length {@code ρ} of the simple moving average that
 * approximates Adam's exponential moving average of squared gradients, the rectification {@code r_t} and the
 * first-order approximation of {@code Var[ψ]}.
 *
 * <p>Written here independently of {@code dev.descent.optim} (which computes the same quantities inside its
 * update rules) so that a test can hold the two against each other.
 */
public final class RectificationTerms {
    private RectificationTerms() {
    }

    /** {@code ρ∞ = 2/(1−β2) − 1}, the length the SMA approaches as {@code t → ∞}. */
    public static double rhoInfinity(double beta2) {
        checkBeta2("rhoInfinity", beta2);
        return 2 / (1 - beta2) - 1;
    }

    /**
     * {@code ρ_t = ρ∞ − 2 t β2^t / (1 − β2^t)} at step {@code t ≥ 1}; it equals 1 at {@code t = 1} and increases
     * to {@code ρ∞}.
     */
    public static double rho(double beta2, long t) {
        checkBeta2("rho", beta2);
        checkStep("rho", t);
        double b2t = Math.pow(beta2, t);
        return rhoInfinity(beta2) - 2 * t * b2t / (1 - b2t);
    }

    /**
     * The rectification {@code r_t = sqrt((ρ_t−4)(ρ_t−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρ_t))}, which scales {@code ψ_t} so that
     * its (approximate) variance equals its limit at {@code ρ∞}. Defined only where {@code ρ_t > 4} (the variance
     * of {@code ψ} is infinite below); NaN elsewhere, and NaN when {@code ρ∞ ≤ 4} ({@code β2 < 0.6}).
     */
    public static double rectification(double beta2, long t) {
        double rhoInf = rhoInfinity(beta2);
        double rhoT = rho(beta2, t);
        if (!(rhoT > 4) || !(rhoInf > 4)) {
            return Double.NaN;
        }
        return Math.sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
    }

    /**
     * The first-order approximation {@code Var[ψ] ≈ ρ / (2 (ρ−2)(ρ−4) σ²)} for gradients of variance
     * {@code σ²} and zero mean, when {@code ψ²} is treated as scaled inverse-χ² with {@code ρ} degrees of
     * freedom; NaN where {@code ρ ≤ 4}.
     */
    public static double approximateVariance(double rho, double sigma) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("approximateVariance: sigma must be positive and finite, got " + sigma);
        }
        if (!(rho > 4)) {
            return Double.NaN;
        }
        return rho / (2 * (rho - 2) * (rho - 4) * sigma * sigma);
    }

    /** The approximate variance of the rectified rate {@code r_t ψ_t}: {@code r_t² Var[ψ_t]}, which is flat in t. */
    public static double approximateRectifiedVariance(double beta2, long t, double sigma) {
        double r = rectification(beta2, t);
        return r * r * approximateVariance(rho(beta2, t), sigma);
    }

    static void checkBeta2(String operation, double beta2) {
        if (!(beta2 > 0 && beta2 < 1)) {
            throw new IllegalArgumentException(operation + ": beta2 must lie in (0, 1), got " + beta2);
        }
    }

    static void checkStep(String operation, long t) {
        if (t < 1) {
            throw new IllegalArgumentException(operation + ": step t must be >= 1, got " + t);
        }
    }
}
