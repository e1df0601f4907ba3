package dev.descent.optim;

/**
 * Hyperparameter checks shared by the optimizers: each failure names the optimizer, the hyperparameter, its
 * value and the accepted range, as in {@code "Adamax: invalid beta2 1.5 (expected 0 <= beta2 < 1)"}.
 */
final class Validation {
    private Validation() {
    }

    /** Requires every hyperparameter in {@code keys} to be {@code >= 0} (NaN fails). */
    static void nonNegative(String optimizer, ParamGroup g, String... keys) {
        for (String key : keys) {
            double v = g.get(key);
            if (!(v >= 0)) {
                throw invalid(optimizer, key, v, "0 <= " + key);
            }
        }
    }

    /** Requires {@code lo <= key < hi}, or {@code lo <= key <= hi} when {@code hiInclusive}. */
    static void inRange(String optimizer, ParamGroup g, String key, double lo, double hi, boolean hiInclusive) {
        double v = g.get(key);
        if (!(v >= lo && (hiInclusive ? v <= hi : v < hi))) {
            throw invalid(optimizer, key, v, lo + " <= " + key + (hiInclusive ? " <= " : " < ") + hi);
        }
    }

    /** Requires each flag in {@code keys} to be 0 or 1. */
    static void flags(String optimizer, ParamGroup g, String... keys) {
        for (String key : keys) {
            double v = g.get(key);
            if (v != 0 && v != 1) {
                throw invalid(optimizer, key, v, key + " 0 or 1");
            }
        }
    }

    private static IllegalArgumentException invalid(String optimizer, String key, double value, String expected) {
        return new IllegalArgumentException(optimizer + ": invalid " + key + " " + value + " (expected " + expected + ")");
    }
}
