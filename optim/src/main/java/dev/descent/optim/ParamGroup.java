package dev.descent.optim;

import dev.descent.autograd.Variable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A group of named parameters with its own hyperparameters (learning rate, betas, weight decay, ...), as
 * torch.optim's {@code param_groups}. Hyperparameters are numbers looked up by name; schedules change them
 * with {@link #set}. Names are the dotted names of {@code Module.namedParameters()}: the optimizer's state
 * dict is keyed by them, so that it resumes into a freshly built model.
 */
public final class ParamGroup {
    private final Map<String, Variable> params;
    private final java.util.List<Variable> paramList;
    private final Map<String, Double> options;

    /** A group of {@code params} with the given hyperparameters (others come from the optimizer's defaults). */
    public ParamGroup(Map<String, Variable> params, Map<String, Double> options) {
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.paramList = java.util.List.copyOf(params.values());
        this.options = new LinkedHashMap<>(options);
    }

    /** A group of {@code params} with the optimizer's default hyperparameters. */
    public ParamGroup(Map<String, Variable> params) {
        this(params, Map.of());
    }

    /** The parameters of this group by name, read-only. */
    public Map<String, Variable> params() {
        return params;
    }

    /** The parameters in order, as a list (indexed loops over it allocate nothing). */
    java.util.List<Variable> paramList() {
        return paramList;
    }

    /** Hyperparameter {@code key}; fails naming the known ones when absent. */
    public double get(String key) {
        Double v = options.get(key);
        if (v == null) {
            throw new IllegalArgumentException("ParamGroup: no hyperparameter '" + key + "' (have " + options.keySet() + ")");
        }
        return v;
    }

    /** Sets hyperparameter {@code key} (which must exist); returns this group. */
    public ParamGroup set(String key, double value) {
        get(key);
        options.put(key, value);
        return this;
    }

    /** The hyperparameters, read-only. */
    public Map<String, Double> options() {
        return Collections.unmodifiableMap(options);
    }

    /** Fills hyperparameters this group does not set from {@code defaults}; rejects unknown ones. */
    void complete(String optimizer, Map<String, Double> defaults) {
        for (String key : options.keySet()) {
            if (!defaults.containsKey(key)) {
                throw new IllegalArgumentException(optimizer + ": unknown hyperparameter '" + key + "' (known: "
                        + defaults.keySet() + ")");
            }
        }
        defaults.forEach(options::putIfAbsent);
    }
}
