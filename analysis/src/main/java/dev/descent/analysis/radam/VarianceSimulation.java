package dev.descent.analysis.radam;

import dev.descent.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * A Monte Carlo of Adam's adaptive learning rate {@code ψ_t = sqrt((1−β2^t)/v_t)}, with
 * {@code v_t = β2 v_{t−1} + (1−β2) g_t²} and {@code v_0 = 0}, for gradients {@code g_t ~ N(μ, σ²)} drawn i.i.d.
 * in {@code trials} independent sequences (the simulation behind the RAdam README's Figure 1, spec/analysis.md §4).
 * The variance of {@code ψ_t} across the trials is recorded at every step, together with that of the rectified
 * rate {@code r_t ψ_t}.
 *
 * <p>Every {@code μ} sees the same standard-normal draws {@code z} ({@code g = μ + σ z}, common random numbers), so
 * the curves differ only through {@code μ}, and a curve does not depend on which other {@code μ} were asked for.
 * No {@code ε} enters {@code ψ}, as in the paper's definition.
 */
public final class VarianceSimulation {
    private VarianceSimulation() {
    }

    /** The gradient means of the README's Figure 1. */
    public static final List<Double> README_MUS = List.of(0.0, 0.001, 0.01, 0.1, 1.0, 10.0);

    /**
     * Runs the simulation.
     *
     * @param beta2  the second-moment decay, in (0, 1)
     * @param sigma  the gradients' standard deviation, positive
     * @param mus    the gradient means, at least one, all finite
     * @param trials independent sequences per {@code μ}, at least 2
     * @param steps  the last step {@code T}, at least 1
     * @param seed   the seed of the standard-normal draws
     */
    public static VarianceCurves run(double beta2, double sigma, List<Double> mus, int trials, int steps, long seed) {
        RectificationTerms.checkBeta2("VarianceSimulation.run", beta2);
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("VarianceSimulation.run: sigma must be positive and finite, got "
                    + sigma);
        }
        if (mus.isEmpty() || mus.stream().anyMatch(m -> m == null || !Double.isFinite(m))) {
            throw new IllegalArgumentException("VarianceSimulation.run: expected at least one finite mu, got " + mus);
        }
        if (trials < 2 || steps < 1) {
            throw new IllegalArgumentException("VarianceSimulation.run: expected trials >= 2 and steps >= 1, got trials "
                    + trials + ", steps " + steps);
        }
        double[] rectSq = new double[steps];
        for (int t = 1; t <= steps; t++) {
            double r = RectificationTerms.rectification(beta2, t);
            rectSq[t - 1] = r * r;
        }
        List<VarianceCurves.Curve> curves = new ArrayList<>();
        for (double mu : mus) {
            curves.add(simulate(beta2, sigma, mu, trials, steps, seed, rectSq));
        }
        return new VarianceCurves(beta2, sigma, trials, steps, seed, List.copyOf(curves));
    }

    private static VarianceCurves.Curve simulate(double beta2, double sigma, double mu, int trials, int steps,
            long seed, double[] rectSq) {
        Rng rng = new Rng(seed);
        double[] v = new double[trials];
        double[] psi = new double[trials];
        double[] z = new double[2];
        double[] mean = new double[steps];
        double[] var = new double[steps];
        double[] stdErr = new double[steps];
        double[] rectVar = new double[steps];
        double b2t = 1;
        for (int t = 1; t <= steps; t++) {
            b2t *= beta2;
            double correction = 1 - b2t;
            for (int i = 0; i < trials; i += 2) {
                gaussianPair(rng, z);
                psi[i] = step(v, i, beta2, mu + sigma * z[0], correction);
                if (i + 1 < trials) {
                    psi[i + 1] = step(v, i + 1, beta2, mu + sigma * z[1], correction);
                }
            }
            double[] moments = centralMoments(psi);
            int n = trials;
            mean[t - 1] = moments[0];
            var[t - 1] = moments[1] * n / (n - 1);
            // standard error of the sample variance: sqrt((m4 − σ⁴ (n−3)/(n−1)) / n)
            double m2 = moments[1];
            stdErr[t - 1] = Math.sqrt(Math.max(0, moments[2] - m2 * m2 * (n - 3.0) / (n - 1)) / n);
            rectVar[t - 1] = rectSq[t - 1] * var[t - 1];
        }
        return new VarianceCurves.Curve(mu, mean, var, stdErr, rectVar);
    }

    private static double step(double[] v, int i, double beta2, double g, double correction) {
        v[i] = beta2 * v[i] + (1 - beta2) * g * g;
        return Math.sqrt(correction / v[i]);
    }

    /** The mean and the second and fourth central moments (divisor n), by two passes. */
    private static double[] centralMoments(double[] x) {
        double sum = 0;
        for (double value : x) {
            sum += value;
        }
        double mean = sum / x.length;
        double m2 = 0;
        double m4 = 0;
        for (double value : x) {
            double d = value - mean;
            double d2 = d * d;
            m2 += d2;
            m4 += d2 * d2;
        }
        return new double[] {mean, m2 / x.length, m4 / x.length};
    }

    /** Two independent standard normals by Box–Muller; StrictMath keeps every platform's draws identical. */
    private static void gaussianPair(Rng rng, double[] out) {
        double u1 = 1.0 - rng.nextDouble(); // in (0, 1], so the logarithm is finite
        double u2 = rng.nextDouble();
        double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        double angle = 2.0 * StrictMath.PI * u2;
        out[0] = radius * StrictMath.cos(angle);
        out[1] = radius * StrictMath.sin(angle);
    }
}
