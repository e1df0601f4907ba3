package dev.descent.analysis.warmup;

import org.jspecify.annotations.Nullable;

/**
 * The per-step record of one run: the learning rate each update ran at and the loss of each step's batch before
 * its update ({@code loss[0]} is the loss of the initial weights). A diverged run's arrays end at the step that
 * tripped the rule, whose loss is recorded and whose update is not made.
 *
 * @param lr   the learning rate of step i's update
 * @param loss the training loss at step i
 */
public record LossCurve(double[] lr, double[] loss) {
    /** Checks that the arrays have one entry per step. */
    public LossCurve {
        if (lr.length != loss.length) {
            throw new IllegalArgumentException("LossCurve: " + lr.length + " learning rates for " + loss.length
                    + " losses");
        }
    }

    /** The number of steps recorded. */
    public int steps() {
        return loss.length;
    }

    /** The mean of the last {@code window} losses (of all of them when there are fewer). */
    public double finalLoss(int window) {
        checkWindow("finalLoss", window);
        int from = Math.max(0, loss.length - window);
        return mean(from, loss.length);
    }

    /**
     * The first number of updates {@code n >= window} after which the mean of losses {@code n − window .. n − 1}
     * is at or below {@code target}, or null if there is none. A single lucky batch does not count: the mean of a
     * full window must be.
     */
    public @Nullable Long stepsToTarget(double target, int window) {
        checkWindow("stepsToTarget", window);
        for (int n = window; n <= loss.length; n++) {
            if (mean(n - window, n) <= target) {
                return (long) n;
            }
        }
        return null;
    }

    /** The moving average of the loss over the last {@code window} steps (fewer at the start), for plots. */
    public double[] smoothedLoss(int window) {
        checkWindow("smoothedLoss", window);
        double[] out = new double[loss.length];
        for (int i = 0; i < loss.length; i++) {
            out[i] = mean(Math.max(0, i + 1 - window), i + 1);
        }
        return out;
    }

    private double mean(int from, int to) {
        if (to <= from) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = from; i < to; i++) {
            s += loss[i];
        }
        return s / (to - from);
    }

    private static void checkWindow(String op, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("LossCurve." + op + ": window must be >= 1, got " + window);
        }
    }
}
