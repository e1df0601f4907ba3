package dev.descent.optim;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rectification term of the official RAdam code (spec/optimizers.md §2), shared by {@link OfficialRAdam},
 * {@link AdaBelief} and {@link ACProp} (§4, §5): {@code ρ∞ = 2/(1−β2) − 1}, {@code ρ_t = ρ∞ − 2 t β2^t/(1−β2^t)}
 * and the step-size factor {@code s_t} ({@code r_t sqrt(1−β2^t)/(1−β1^t)} in the adaptive regime,
 * {@code 1/(1−β1^t)} when degenerating to SGD, −1 for "no update").
 *
 * <p>The official code memoises {@code (t, ρ_t, s_t)} in ten slots per parameter group, indexed {@code t mod 10}
 * and reused whenever the slot's step equals {@code t}; the cached values are therefore stale if the betas (or
 * the fallback) change while a slot is live. With the group's {@code step_size_cache} flag at 1 (the official
 * behaviour) this class reproduces that cache, and saves it with the optimizer's scalars so that resuming is
 * exact; at 0 every value is computed afresh (the official {@code PlainRAdam}).
 */
final class Rectification {
    /** One slot of the cache: the step it belongs to, {@code ρ_t} and the step-size factor. */
    record Entry(long step, double rho, double stepSize) {
    }

    private static final int SLOTS = 10;
    private static final String KEY = "step_size_cache.";
    private final Map<ParamGroup, Entry[]> cache = new IdentityHashMap<>();

    /**
     * {@code ρ_t} and the step-size factor at step {@code t}; {@code adaptive} tells whether the rectified
     * branch applies ({@code ρ_t ≥ threshold}, or {@code >} when {@code strict}).
     */
    Entry at(ParamGroup g, long t, double threshold, boolean strict) {
        boolean cached = g.get("step_size_cache") != 0;
        Entry[] slots = cache.computeIfAbsent(g, k -> new Entry[SLOTS]);
        int slot = (int) (t % SLOTS);
        if (cached && slots[slot] != null && slots[slot].step() == t) {
            return slots[slot];
        }
        Entry e = compute(t, g.get("beta1"), g.get("beta2"), g.get("degenerated_to_sgd") != 0, threshold, strict);
        if (cached) {
            slots[slot] = e;
        }
        return e;
    }

    /** Whether {@code rho} is in the adaptive regime. */
    static boolean adaptive(double rho, double threshold, boolean strict) {
        return strict ? rho > threshold : rho >= threshold;
    }

    /** The official formulas, in the official order of operations. */
    static Entry compute(long t, double b1, double b2, boolean degenerate, double threshold, boolean strict) {
        double b2t = Math.pow(b2, t);
        double rhoMax = 2 / (1 - b2) - 1;
        double rho = rhoMax - 2 * t * b2t / (1 - b2t);
        double size;
        if (adaptive(rho, threshold, strict)) {
            size = Math.sqrt((1 - b2t) * (rho - 4) / (rhoMax - 4) * (rho - 2) / rho * rhoMax / (rhoMax - 2))
                    / (1 - Math.pow(b1, t));
        } else if (degenerate) {
            size = 1.0 / (1 - Math.pow(b1, t));
        } else {
            size = -1;
        }
        return new Entry(t, rho, size);
    }

    /** Writes the live slots as {@code step_size_cache.<group>.<slot>.{step,rho,step_size}}. */
    void save(List<ParamGroup> groups, Map<String, Object> out) {
        for (int i = 0; i < groups.size(); i++) {
            Entry[] slots = cache.get(groups.get(i));
            for (int s = 0; slots != null && s < SLOTS; s++) {
                if (slots[s] != null) {
                    String k = KEY + i + "." + s + ".";
                    out.put(k + "step", slots[s].step());
                    out.put(k + "rho", slots[s].rho());
                    out.put(k + "step_size", slots[s].stepSize());
                }
            }
        }
    }

    /** Replaces the cache by the slots in {@code scalars} (written by {@link #save}). */
    void load(List<ParamGroup> groups, Map<String, ?> scalars) {
        cache.clear();
        for (int i = 0; i < groups.size(); i++) {
            Entry[] slots = new Entry[SLOTS];
            for (int s = 0; s < SLOTS; s++) {
                String k = KEY + i + "." + s + ".";
                if (scalars.get(k + "step") instanceof Number step) {
                    slots[s] = new Entry(step.longValue(), ((Number) scalars.get(k + "rho")).doubleValue(),
                            ((Number) scalars.get(k + "step_size")).doubleValue());
                }
            }
            cache.put(groups.get(i), slots);
        }
    }
}
