package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An optimizer around another one (DESIGN.md §5, spec/optimizers.md §3 and §12): it shares the inner
 * optimizer's parameter groups (schedules that change the wrapper's hyperparameters change the inner
 * optimizer's), steps the inner optimizer and then does its own work, and keeps its own state next to the
 * inner one in the same two maps, under keys that start with its prefix ({@code "lookahead/"},
 * {@code "averaging/"}): {@link #loadState} hands the other keys down, so wrappers nest.
 */
public abstract class OptimizerWrapper extends Optimizer {
    private final Optimizer inner;
    private final String prefix;
    private WeightSwap openSwap;

    /** A wrapper named {@code name} around {@code inner}, whose own state keys start with {@code prefix}. */
    protected OptimizerWrapper(String name, String prefix, Optimizer inner) {
        super(name + "(" + inner.name() + ")", inner.paramGroups(), optionsOf(inner));
        this.inner = inner;
        this.prefix = prefix;
    }

    private static Map<String, Double> optionsOf(Optimizer inner) {
        Map<String, Double> all = new LinkedHashMap<>();
        inner.paramGroups().forEach(g -> all.putAll(g.options()));
        return all;
    }

    /** The wrapped optimizer. */
    public Optimizer inner() {
        return inner;
    }

    /** The parameters of every group by name, in group order. */
    protected Map<String, Variable> namedParams() {
        Map<String, Variable> out = new LinkedHashMap<>();
        paramGroups().forEach(g -> out.putAll(g.params()));
        return out;
    }

    /** Never called: the inner optimizer updates the parameters. */
    @Override
    protected final void update(ParamGroup group, Variable p, Tensor grad, ParamState state) {
        throw new UnsupportedOperationException(name() + ": the inner optimizer updates the parameters");
    }

    /** One step of the inner optimizer, then {@link #afterInnerStep()}; refused while weights are swapped in. */
    @Override
    public void step() {
        if (openSwap != null && openSwap.isOpen()) {
            throw new IllegalStateException(name() + ": cannot step while evaluation weights are swapped in"
                    + " (close the WeightSwap first)");
        }
        inner.step();
        try (dev.descent.autograd.Autograd.Scope scope = dev.descent.autograd.Autograd.noGrad()) {
            afterInnerStep();
        }
    }

    /** The wrapper's own work after each inner step (recording is off). */
    protected abstract void afterInnerStep();

    /** Swaps {@code weights} into the parameters until the returned handle is closed. */
    protected WeightSwap swapIn(Map<Variable, Tensor> weights) {
        if (openSwap != null && openSwap.isOpen()) {
            throw new IllegalStateException(name() + ": weights are already swapped in");
        }
        openSwap = new WeightSwap(weights, () -> openSwap = null);
        return openSwap;
    }

    /** Clears the gradients (those of the inner optimizer's parameters, which are this wrapper's). */
    @Override
    public void zeroGrad() {
        inner.zeroGrad();
    }

    /** The inner optimizer's state of {@code p}. */
    @Override
    public ParamState state(Variable p) {
        return inner.state(p);
    }

    /** The inner optimizer's buffers followed by this wrapper's (keys starting with its prefix). */
    @Override
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>(inner.stateTensors());
        ownTensors().forEach((k, t) -> out.put(prefix + k, t));
        return out;
    }

    /** The inner optimizer's scalars followed by this wrapper's (keys starting with its prefix). */
    @Override
    public Map<String, Object> stateScalars() {
        Map<String, Object> out = new LinkedHashMap<>(inner.stateScalars());
        ownScalars().forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }

    /**
     * Restores the inner optimizer from the keys without this wrapper's prefix and this wrapper from the others;
     * fails, reporting every problem, when the wrapper's state is missing or incomplete (a checkpoint of the
     * bare inner optimizer cannot silently reset the wrapper, spec/optimizers-anchors.md §D.2).
     */
    @Override
    public void loadState(Map<String, Tensor> tensors, Map<String, ?> scalars) {
        Map<String, Tensor> innerTensors = new LinkedHashMap<>();
        Map<String, Tensor> own = new LinkedHashMap<>();
        tensors.forEach((k, t) -> (k.startsWith(prefix) ? own : innerTensors).put(k.startsWith(prefix)
                ? k.substring(prefix.length()) : k, t));
        Map<String, Object> innerScalars = new LinkedHashMap<>();
        Map<String, Object> ownScalars = new LinkedHashMap<>();
        scalars.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                ownScalars.put(k.substring(prefix.length()), v);
            } else {
                innerScalars.put(k, v);
            }
        });
        List<String> problems = new ArrayList<>();
        checkOwn(own, ownScalars, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(name() + ".loadState: " + String.join("; ", problems));
        }
        inner.loadState(innerTensors, innerScalars);
        loadOwn(own, ownScalars);
    }

    /** This wrapper's buffers, keys without the prefix. */
    protected abstract Map<String, Tensor> ownTensors();

    /** This wrapper's counters and settings, keys without the prefix. */
    protected abstract Map<String, Object> ownScalars();

    /** Adds to {@code problems} everything wrong with the wrapper's saved state (keys without the prefix). */
    protected abstract void checkOwn(Map<String, Tensor> tensors, Map<String, Object> scalars, List<String> problems);

    /** Restores the wrapper's state, already checked by {@link #checkOwn}; tensors are copied. */
    protected abstract void loadOwn(Map<String, Tensor> tensors, Map<String, Object> scalars);

    /** {@code scalars.get(key)} as a number, or a problem naming the key (with the prefix). */
    @Nullable Number number(Map<String, Object> scalars, String key, List<String> problems) {
        Object v = scalars.get(key);
        if (v instanceof Number n) {
            return n;
        }
        problems.add("no value for '" + prefix + key + "'");
        return null;
    }
}
