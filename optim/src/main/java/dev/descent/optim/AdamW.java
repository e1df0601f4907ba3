package dev.descent.optim;

import dev.descent.autograd.Variable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW as {@code torch.optim.AdamW}: {@link Adam} with decoupled weight decay {@code θ ← θ (1 − lr λ)}
 * applied before the step, default {@code weight_decay} 0.01 (spec/optimizers.md §1.3: torch multiplies
 * λ by the full learning rate; the paper by the schedule multiplier only).
 */
public final class AdamW extends Adam {
    /** torch's defaults. */
    public static final Map<String, Double> DEFAULTS = defaults();

    private static Map<String, Double> defaults() {
        Map<String, Double> d = new HashMap<>(Adam.DEFAULTS);
        d.put("weight_decay", 1e-2);
        d.put("decoupled_weight_decay", 1.0);
        return Map.copyOf(d);
    }

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public AdamW(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))));
    }

    /** Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}. */
    public AdamW(List<ParamGroup> groups) {
        super("AdamW", groups, DEFAULTS);
    }
}
