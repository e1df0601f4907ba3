package dev.descent.optim;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The facade of every optimizer: parameter groups with per-group hyperparameters, {@code step()}, a step
 * with a closure that recomputes the loss, {@code zeroGrad()}, and a state that resumes exactly. Each
 * optimizer implements {@link #update}, called once per parameter that has a gradient (parameters without
 * one are skipped: no state, no step), with recording off.
 *
 * <p>State: {@link #stateTensors()} (buffers as {@code <param name>.<buffer>}) and {@link #stateScalars()}
 * (step counters and every group's hyperparameters), the two maps a checkpoint stores.
 */
public abstract class Optimizer {
    private final String name;
    private final List<ParamGroup> groups;
    private final Map<Variable, ParamState> states = new IdentityHashMap<>();
    private final Map<Variable, String> names = new IdentityHashMap<>();

    /** An optimizer over {@code groups}, whose missing hyperparameters come from {@code defaults}. */
    protected Optimizer(String name, List<ParamGroup> groups, Map<String, Double> defaults) {
        this.name = name;
        this.groups = List.copyOf(groups);
        Set<String> seen = new HashSet<>();
        for (ParamGroup g : this.groups) {
            g.complete(name, defaults);
            g.params().forEach((n, p) -> {
                if (!seen.add(n) || names.containsKey(p)) {
                    throw new IllegalArgumentException(name + ": parameter '" + n + "' appears in more than one group");
                }
                if (!p.requiresGrad() || !p.isLeaf()) {
                    throw new IllegalArgumentException(name + ": '" + n + "' is not a leaf that requires a gradient");
                }
                names.put(p, n);
            });
        }
        for (ParamGroup g : this.groups) {
            validate(g);
        }
    }

    /** One group of named parameters with the defaults. */
    protected static List<ParamGroup> single(Map<String, Variable> params) {
        return List.of(new ParamGroup(params));
    }

    /** Checks a group's hyperparameters (ranges, incompatible options); fails naming the value at fault. */
    protected void validate(ParamGroup group) {
    }

    /** Updates {@code p} in place from its gradient {@code grad} (recording is off). */
    protected abstract void update(ParamGroup group, Variable p, Tensor grad, ParamState state);

    /** One update of every parameter that has a gradient. */
    public void step() {
        boolean recording = Autograd.setGradEnabled(false); // no scope object: a step allocates nothing
        try {
            for (int i = 0; i < groups.size(); i++) {
                ParamGroup g = groups.get(i);
                List<Variable> params = g.paramList();
                for (int j = 0; j < params.size(); j++) {
                    Variable p = params.get(j);
                    Tensor grad = p.grad();
                    if (grad != null) {
                        ParamState s = states.get(p);
                        if (s == null) {
                            s = new ParamState();
                            states.put(p, s);
                        }
                        update(g, p, grad, s);
                    }
                }
            }
        } finally {
            Autograd.setGradEnabled(recording);
        }
    }

    /**
     * Calls {@code closure} with recording on (it computes the loss and calls backward), then steps; returns
     * the loss. For optimizers that need the loss, and for line searches.
     */
    public double step(DoubleSupplier closure) {
        double loss;
        try (Autograd.Scope scope = Autograd.enableGrad()) {
            loss = closure.getAsDouble();
        }
        step();
        return loss;
    }

    /** Clears every parameter's gradient (to null). */
    public void zeroGrad() {
        for (ParamGroup g : groups) {
            g.params().values().forEach(Variable::zeroGrad);
        }
    }

    /** The parameter groups, whose hyperparameters schedules may change with {@link ParamGroup#set}. */
    public List<ParamGroup> paramGroups() {
        return groups;
    }

    /** The state of {@code p} (null before its first update). */
    public @Nullable ParamState state(Variable p) {
        return states.get(p);
    }

    /** The optimizer's name, as in its error messages ({@code "Adam"}, {@code "SGD"}, ...). */
    public String name() {
        return name;
    }

    /** Every buffer, keyed {@code <param name>.<buffer name>}; the tensors are shared, not copied. */
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ParamGroup g : groups) {
            g.params().forEach((n, p) -> {
                ParamState s = states.get(p);
                if (s != null) {
                    s.buffers().forEach((b, t) -> out.put(n + "." + b, t));
                }
            });
        }
        return out;
    }

    /** The memory of the state's tensors: every element of {@link #stateTensors()} times its dtype's size. */
    public long stateBytes() {
        long bytes = 0;
        for (Tensor t : stateTensors().values()) {
            bytes += (long) t.numel() * t.dtype().byteSize();
        }
        return bytes;
    }

    /** Step counters ({@code step.<param name>}) and hyperparameters ({@code group.<i>.<key>}). */
    public Map<String, Object> stateScalars() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            int gi = i;
            groups.get(i).options().forEach((k, v) -> out.put("group." + gi + "." + k, v));
            groups.get(i).params().forEach((n, p) -> {
                ParamState s = states.get(p);
                if (s != null) {
                    out.put("step." + n, s.step());
                }
            });
        }
        return out;
    }

    /**
     * Restores the state written by {@link #stateTensors()} and {@link #stateScalars()} (buffers are copied
     * into fresh tensors). Every problem (unknown parameter names, missing counters) is reported at once.
     */
    public void loadState(Map<String, Tensor> tensors, Map<String, ?> scalars) {
        Map<String, Variable> byName = new LinkedHashMap<>();
        groups.forEach(g -> byName.putAll(g.params()));
        List<String> problems = new ArrayList<>();
        Map<Variable, ParamState> loaded = new IdentityHashMap<>();
        scalars.forEach((k, v) -> {
            if (k.startsWith("step.")) {
                Variable p = byName.get(k.substring(5));
                if (p == null) {
                    problems.add("a step counter for unknown parameter '" + k.substring(5) + "'");
                } else {
                    loaded.computeIfAbsent(p, x -> new ParamState()).setStep(((Number) v).longValue());
                }
            }
        });
        tensors.forEach((k, t) -> {
            String owner = null;
            for (String n : byName.keySet()) {
                if (k.startsWith(n + ".") && (owner == null || n.length() > owner.length())) {
                    owner = n;
                }
            }
            if (owner == null) {
                problems.add("a buffer '" + k + "' of no known parameter");
            } else if (!loaded.containsKey(byName.get(owner))) {
                problems.add("a buffer '" + k + "' but no step counter for '" + owner + "'");
            } else {
                loaded.get(byName.get(owner)).buffers().put(k.substring(owner.length() + 1), t.clone());
            }
        });
        List<Map<String, Double>> options = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (String key : groups.get(i).options().keySet()) {
                Object v = scalars.get("group." + i + "." + key);
                if (v instanceof Number num) {
                    values.put(key, num.doubleValue());
                } else {
                    problems.add("no value for hyperparameter '" + key + "' of group " + i);
                }
            }
            options.add(values);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(name + ".loadState: " + String.join("; ", problems));
        }
        for (int i = 0; i < groups.size(); i++) {
            options.get(i).forEach(groups.get(i)::set);
        }
        states.clear();
        states.putAll(loaded);
    }
}
