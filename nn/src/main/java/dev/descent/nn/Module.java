package dev.descent.nn;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A part of a model, as {@code torch.nn.Module}: named parameters (leaves that require gradients), named
 * buffers (state that is saved but not trained, such as BatchNorm's running statistics) and named
 * children. Names compose with dots as PyTorch forms them ({@code layers.0.weight}), so that state dicts of
 * Descent and of PyTorch line up name by name.
 *
 * <p>Traversals follow PyTorch's order: a module's own parameters (or buffers) in registration order, then
 * each child's, depth first. Subclasses register what they hold in their constructor; most layers extend
 * {@link Layer}, which adds {@code forward(Variable)}.
 */
public abstract class Module {
    private final Map<String, Variable> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    // ------------------------------------------------------------------ registration

    /** Registers {@code value} as parameter {@code name} (a new leaf that requires a gradient) and returns it. */
    protected final Variable registerParameter(String name, Tensor value) {
        checkName("registerParameter", name);
        Variable p = Variable.parameter(value);
        parameters.put(name, p);
        return p;
    }

    /** Registers {@code value} as buffer {@code name} (saved in the state dict, not trained) and returns it. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName("registerBuffer", name);
        buffers.put(name, value);
        return value;
    }

    /** Registers {@code child} under {@code name} and returns it. */
    protected final <M extends Module> M registerModule(String name, M child) {
        checkName("registerModule", name);
        children.put(name, child);
        return child;
    }

    private void checkName(String op, String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(op + ": name '" + name + "' must be non-empty and contain no '.'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(op + ": " + getClass().getSimpleName() + " already has a member named '"
                    + name + "'");
        }
    }

    /** This module's own parameter {@code name}. */
    protected final Variable parameter(String name) {
        Variable p = parameters.get(name);
        if (p == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no parameter '" + name + "'");
        }
        return p;
    }

    /** This module's own buffer {@code name}. */
    protected final Tensor buffer(String name) {
        Tensor b = buffers.get(name);
        if (b == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no buffer '" + name + "'");
        }
        return b;
    }

    // ------------------------------------------------------------------ traversal

    /** Every parameter, this module's first, then each child's depth first. */
    public final List<Variable> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Every parameter by dotted name, in the order of {@link #parameters()}. */
    public final Map<String, Variable> namedParameters() {
        Map<String, Variable> out = new LinkedHashMap<>();
        collectParameters("", out);
        return out;
    }

    private void collectParameters(String prefix, Map<String, Variable> out) {
        parameters.forEach((name, p) -> out.put(prefix + name, p));
        children.forEach((name, c) -> c.collectParameters(prefix + name + ".", out));
    }

    /** Every buffer by dotted name, this module's first, then each child's depth first. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return out;
    }

    private void collectBuffers(String prefix, Map<String, Tensor> out) {
        buffers.forEach((name, b) -> out.put(prefix + name, b));
        children.forEach((name, c) -> c.collectBuffers(prefix + name + ".", out));
    }

    /** The direct children by name, in registration order. */
    public final Map<String, Module> namedChildren() {
        return java.util.Collections.unmodifiableMap(children);
    }

    /** The direct children, in registration order. */
    public final List<Module> children() {
        return new ArrayList<>(children.values());
    }

    /** This module and every descendant by dotted name (this one under ""), depth first. */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String name, Map<String, Module> out) {
        out.put(name, this);
        children.forEach((n, c) -> c.collectModules(name.isEmpty() ? n : name + "." + n, out));
    }

    /** Calls {@code fn} on every descendant, children before parents, then on this module (as PyTorch). */
    public final Module apply(Consumer<Module> fn) {
        for (Module c : children.values()) {
            c.apply(fn);
        }
        fn.accept(this);
        return this;
    }

    /** The number of parameter elements. */
    public final long parameterCount() {
        long n = 0;
        for (Variable p : parameters()) {
            n += p.numel();
        }
        return n;
    }

    // ------------------------------------------------------------------ modes and state

    /** Training mode (dropout active, BatchNorm on batch statistics) for this module and its descendants. */
    public final Module train() {
        return train(true);
    }

    public final Module train(boolean mode) {
        apply(m -> m.training = mode);
        return this;
    }

    /** Evaluation mode: {@code train(false)}. */
    public final Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Clears every parameter's gradient (sets it to null, as {@code zero_grad(set_to_none=True)}). */
    public final void zeroGrad() {
        for (Variable p : parameters()) {
            p.zeroGrad();
        }
    }

    /** Casts every floating-point parameter and buffer to {@code dtype} in place; returns this. */
    public final Module to(DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("to: a module moves to FLOAT32 or FLOAT64, not " + dtype);
        }
        apply(m -> {
            for (Variable p : m.parameters.values()) {
                if (p.dtype() != dtype) {
                    p.setValue(p.value().cast(dtype));
                }
            }
            m.buffers.replaceAll((name, b) -> b.dtype().isFloatingPoint() && b.dtype() != dtype ? b.cast(dtype) : b);
        });
        return this;
    }

    /** Parameters and buffers by dotted name, in PyTorch's order; the tensors are shared, not copied. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        parameters.forEach((name, p) -> out.put(prefix + name, p.value()));
        buffers.forEach((name, b) -> out.put(prefix + name, b));
        children.forEach((name, c) -> c.collectState(prefix + name + ".", out));
    }

    /** {@link #loadStateDict(Map, boolean)}, strict. */
    public final void loadStateDict(Map<String, Tensor> state) {
        loadStateDict(state, true);
    }

    /**
     * Copies {@code state} into the parameters and buffers of the same names (values are copied, cast to
     * each target's dtype). Shape mismatches are always errors; with {@code strict}, so are missing and
     * unexpected keys. Every problem is reported in one exception, and nothing is changed when there is one.
     */
    public final void loadStateDict(Map<String, Tensor> state, boolean strict) {
        Map<String, Tensor> own = stateDict();
        List<String> problems = new ArrayList<>();
        TreeSet<String> missing = new TreeSet<>(own.keySet());
        missing.removeAll(state.keySet());
        TreeSet<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(own.keySet());
        if (strict && !missing.isEmpty()) {
            problems.add("missing keys " + missing);
        }
        if (strict && !unexpected.isEmpty()) {
            problems.add("unexpected keys " + unexpected);
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null && !src.shape().equals(e.getValue().shape())) {
                problems.add("shape mismatch for " + e.getKey() + ": the file has " + src.shape() + ", the model "
                        + e.getValue().shape());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: " + String.join("; ", problems));
        }
        try (Autograd.Scope scope = Autograd.noGrad()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src != null) {
                    e.getValue().copy_(src.cast(e.getValue().dtype()));
                }
            }
        }
    }

    // ------------------------------------------------------------------ printing

    /** The part inside this module's parentheses when printed, as PyTorch's {@code extra_repr}; empty by default. */
    protected String extraRepr() {
        return "";
    }

    /** The module tree as PyTorch prints it: {@code Name(extra)} or children indented by two spaces. */
    @Override
    public String toString() {
        String name = getClass().getSimpleName();
        String extra = extraRepr();
        if (children.isEmpty()) {
            return name + "(" + extra + ")";
        }
        StringBuilder sb = new StringBuilder(name).append("(");
        if (!extra.isEmpty()) {
            sb.append("\n  ").append(extra);
        }
        children.forEach((n, c) -> sb.append("\n  (").append(n).append("): ")
                .append(c.toString().replace("\n", "\n  ")));
        return sb.append("\n)").toString();
    }
}
