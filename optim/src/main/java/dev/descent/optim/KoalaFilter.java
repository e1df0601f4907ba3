package dev.descent.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KOALA's filter settings (spec §10: the reference class's constructor values, checked against the known ones)
 * and its measurement noise R, fixed ({@code r}) or estimated online ({@code r} NaN:
 * {@code R ← α_r R + (1 − α_r) lossStat}, started at 1), with their {@code koala/} state scalars.
 */
final class KoalaFilter {
    private final String name;
    private final Map<String, Double> settings;
    private double r = 1.0;

    /** The settings {@code given} over {@code defaults}; fails naming an unknown key or an invalid alpha_r. */
    KoalaFilter(String name, Map<String, Double> defaults, Map<String, Double> given) {
        this.name = name;
        for (String key : given.keySet()) {
            if (!defaults.containsKey(key)) {
                throw new IllegalArgumentException(name + ": unknown setting '" + key + "' (known: " + defaults.keySet()
                        + ")");
            }
        }
        Map<String, Double> all = new LinkedHashMap<>(defaults);
        all.putAll(given);
        this.settings = all;
        double alphaR = all.get("alpha_r");
        if (!(alphaR >= 0 && alphaR <= 1)) {
            throw new IllegalArgumentException(name + ": invalid alpha_r " + alphaR + " (expected 0 <= alpha_r <= 1)");
        }
    }

    /** Setting {@code key}. */
    double setting(String key) {
        Double v = settings.get(key);
        if (v == null) {
            throw new IllegalArgumentException(name + ": no setting '" + key + "' (have " + settings.keySet() + ")");
        }
        return v;
    }

    boolean adaptiveR() {
        return Double.isNaN(settings.get("r"));
    }

    double measurementNoise() {
        return adaptiveR() ? r : settings.get("r");
    }

    /** Folds a batch's {@code mean(ℓ_i²)} into the online R (when adaptive); returns R for this update. */
    double observe(double lossMeanSquare) {
        if (adaptiveR()) {
            double a = settings.get("alpha_r");
            r = a * r + (1 - a) * lossMeanSquare;
        }
        return measurementNoise();
    }

    void save(Map<String, Object> out) {
        out.put("koala/R", r);
        settings.forEach((k, v) -> out.put("koala/setting." + k, v));
    }

    /** Adds a line to {@code problems} for every value {@link #load} would miss. */
    void check(Map<String, ?> scalars, List<String> problems) {
        if (!(scalars.get("koala/R") instanceof Number)) {
            problems.add("no value for 'koala/R'");
        }
        for (String key : settings.keySet()) {
            if (!(scalars.get("koala/setting." + key) instanceof Number)) {
                problems.add("no value for setting '" + key + "'");
            }
        }
    }

    /** Restores R and the settings (after {@link #check} found nothing missing). */
    void load(Map<String, ?> scalars) {
        r = ((Number) scalars.get("koala/R")).doubleValue();
        for (String key : settings.keySet()) {
            settings.put(key, ((Number) scalars.get("koala/setting." + key)).doubleValue());
        }
    }
}
