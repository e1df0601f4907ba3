package dev.descent.analysis.monitor;

/**
 * The per-step loss changes {@code ΔL_t = L_t − L_{t−1}} of the last {@code 2W} steps, as two adjacent windows of
 * {@code W}: the current one (the last {@code W} changes) and the previous one, whose empirical distributions are
 * compared (spec/analysis.md §7, items 6 and 7). A ring buffer: nothing is kept beyond {@code 2W} values.
 */
final class LossChangeWindows {
    private final int window;
    private final double[] ring;
    private long changes;
    private double lastLoss = Double.NaN;

    LossChangeWindows(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("LossChangeWindows: window must be >= 1, got " + window);
        }
        this.window = window;
        this.ring = new double[2 * window];
    }

    /** Records the loss of the next step (the first loss only sets the reference). */
    void add(double loss) {
        if (!Double.isNaN(lastLoss)) {
            ring[(int) (changes % ring.length)] = loss - lastLoss;
            changes++;
        }
        lastLoss = loss;
    }

    /** Whether the current window is full. */
    boolean hasCurrent() {
        return changes >= window;
    }

    /** Whether both windows are full. */
    boolean hasBoth() {
        return changes >= 2L * window;
    }

    /** The last {@code W} changes, oldest first. */
    double[] current() {
        return slice(changes - window);
    }

    /** The {@code W} changes before those, oldest first. */
    double[] previous() {
        return slice(changes - 2L * window);
    }

    private double[] slice(long from) {
        double[] out = new double[window];
        for (int i = 0; i < window; i++) {
            out[i] = ring[(int) ((from + i) % ring.length)];
        }
        return out;
    }
}
