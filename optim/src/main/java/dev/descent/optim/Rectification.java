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

    /**
     * One group's ten slots, in parallel arrays so that refilling a slot allocates nothing, and last a scratch
     * slot for values computed afresh without the cache.
     */
    private static final class Slots {
        final boolean[] live = new boolean[SLOTS + 1];
        final long[] step = new long[SLOTS + 1];
        final double[] rho = new double[SLOTS + 1];
        final double[] size = new double[SLOTS + 1];

        Entry entry(int i) {
            return new Entry(step[i], rho[i], size[i]);
        }
    }

    private final Map<ParamGroup, Slots> cache = new IdentityHashMap<>();
    /** The slot of the last lookup, and its values. */
    private int lastSlot;
    private double rho;
    private double stepSize;

    /**
     * Looks up (or computes) {@code ρ_t} and the step-size factor at step {@code t}, then readable with
     * {@link #rho()} and {@link #stepSize()} until the next lookup; allocates nothing once the group has slots.
     */
    void lookup(ParamGroup g, long t, double threshold, boolean strict) {
        Slots slots = slot(g, t, threshold, strict);
        rho = slots.rho[lastSlot];
        stepSize = slots.size[lastSlot];
    }

    /** {@code ρ_t} of the last {@link #lookup}. */
    double rho() {
        return rho;
    }

    /** The step-size factor of the last {@link #lookup}: −1 means "no update". */
    double stepSize() {
        return stepSize;
    }

    /** {@link #lookup} as a value. */
    Entry at(ParamGroup g, long t, double threshold, boolean strict) {
        return slot(g, t, threshold, strict).entry(lastSlot);
    }

    private Slots slot(ParamGroup g, long t, double threshold, boolean strict) {
        boolean cached = g.get("step_size_cache") != 0;
        Slots slots = cache.computeIfAbsent(g, k -> new Slots());
        int i = cached ? (int) (t % SLOTS) : SLOTS;
        lastSlot = i;
        if (cached && slots.live[i] && slots.step[i] == t) {
            return slots;
        }
        compute(slots, i, t, g.get("beta1"), g.get("beta2"), g.get("degenerated_to_sgd") != 0, threshold, strict);
        return slots;
    }

    /** Whether {@code rho} is in the adaptive regime. */
    static boolean adaptive(double rho, double threshold, boolean strict) {
        return strict ? rho > threshold : rho >= threshold;
    }

    /** The official formulas, in the official order of operations. */
    static Entry compute(long t, double b1, double b2, boolean degenerate, double threshold, boolean strict) {
        Slots one = new Slots();
        compute(one, 0, t, b1, b2, degenerate, threshold, strict);
        return one.entry(0);
    }

    private static void compute(Slots slots, int i, long t, double b1, double b2, boolean degenerate, double threshold,
                                boolean strict) {
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
        slots.live[i] = true;
        slots.step[i] = t;
        slots.rho[i] = rho;
        slots.size[i] = size;
    }

    /** Writes the live slots as {@code step_size_cache.<group>.<slot>.{step,rho,step_size}}. */
    void save(List<ParamGroup> groups, Map<String, Object> out) {
        for (int i = 0; i < groups.size(); i++) {
            Slots slots = cache.get(groups.get(i));
            for (int s = 0; slots != null && s < SLOTS; s++) {
                if (slots.live[s]) {
                    String k = KEY + i + "." + s + ".";
                    out.put(k + "step", slots.step[s]);
                    out.put(k + "rho", slots.rho[s]);
                    out.put(k + "step_size", slots.size[s]);
                }
            }
        }
    }

    /** Replaces the cache by the slots in {@code scalars} (written by {@link #save}). */
    void load(List<ParamGroup> groups, Map<String, ?> scalars) {
        cache.clear();
        for (int i = 0; i < groups.size(); i++) {
            Slots slots = new Slots();
            for (int s = 0; s < SLOTS; s++) {
                String k = KEY + i + "." + s + ".";
                if (scalars.get(k + "step") instanceof Number step) {
                    slots.live[s] = true;
                    slots.step[s] = step.longValue();
                    slots.rho[s] = ((Number) scalars.get(k + "rho")).doubleValue();
                    slots.size[s] = ((Number) scalars.get(k + "step_size")).doubleValue();
                }
            }
            cache.put(groups.get(i), slots);
        }
    }
}
