package dev.descent.optim.eightbit;

import dev.descent.autograd.Variable;
import dev.descent.optim.ParamGroup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * bitsandbytes' {@code AdamW8bit} (spec/optimizers.md §13.2): {@link Adam8bit} with
 * {@code weight_decay = 1e-2} by default. The arithmetic is Adam8bit's: bitsandbytes applies decoupled decay
 * {@code θ(1 − ηλ)} after the step in both classes (§13.2 step 5, §16).
 */
public class AdamW8bit extends Adam8bit {
    /** bitsandbytes' defaults: Adam8bit's with {@code weight_decay = 1e-2} (§13.2). */
    public static final Map<String, Double> DEFAULTS;

    static {
        Map<String, Double> d = new HashMap<>(Adam8bit.DEFAULTS);
        d.put("weight_decay", 1e-2);
        DEFAULTS = Map.copyOf(d);
    }

    /** One group of {@code params} with learning rate {@code lr} and the other defaults. */
    public AdamW8bit(Map<String, Variable> params, double lr) {
        this(List.of(new ParamGroup(params, Map.of("lr", lr))), Set.of());
    }

    /**
     * Parameter groups whose missing hyperparameters come from {@link #DEFAULTS}; the parameters named in
     * {@code fullPrecision} keep 32-bit state (§13.4).
     */
    public AdamW8bit(List<ParamGroup> groups, Set<String> fullPrecision) {
        super("AdamW8bit", groups, DEFAULTS, fullPrecision);
    }
}
