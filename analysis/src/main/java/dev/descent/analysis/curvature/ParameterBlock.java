package dev.descent.analysis.curvature;

import dev.descent.autograd.Variable;
import dev.descent.nn.Module;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * An ordered selection of a model's named parameters, and the layout of their elements in one flat vector:
 * tensor {@code i} occupies {@code [offset(i), offset(i + 1))} in row-major order. A curvature operator over a
 * block differentiates with respect to these parameters only.
 *
 * <pre>{@code
 * ParameterBlock all = ParameterBlock.all(model);
 * ParameterBlock layer = ParameterBlock.under(model, "layers.3");     // every parameter of submodule layers.3
 * ParameterBlock weights = ParameterBlock.matching(model, "weight$");  // a regular expression
 * }</pre>
 *
 * <p>Parameters are taken in the model's order ({@link Module#namedParameters()}), except for
 * {@link #named}, which keeps the order given. A parameter registered under several names (tied weights)
 * appears once, under its first name, as in PyTorch's {@code named_parameters()}.
 */
public final class ParameterBlock {
    private final List<String> names;
    private final List<Variable> parameters;
    private final int[] offsets;

    private ParameterBlock(Map<String, Variable> selected) {
        this.names = List.copyOf(selected.keySet());
        this.parameters = List.copyOf(selected.values());
        this.offsets = new int[parameters.size() + 1];
        long total = 0;
        for (int i = 0; i < parameters.size(); i++) {
            total += parameters.get(i).numel();
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("ParameterBlock: " + total + "+ elements do not fit a flat vector"
                        + " (at most " + Integer.MAX_VALUE + "); select a smaller block");
            }
            offsets[i + 1] = (int) total;
        }
    }

    /** Every parameter of {@code model}. */
    public static ParameterBlock all(Module model) {
        return where(model, name -> true, "all parameters");
    }

    /** The parameters whose dotted name contains a match of the regular expression {@code regex}. */
    public static ParameterBlock matching(Module model, String regex) {
        Pattern pattern = Pattern.compile(regex);
        return where(model, name -> pattern.matcher(name).find(), "regex '" + regex + "'");
    }

    /**
     * The parameters of submodule {@code prefix} ({@code "layers.3"} or {@code "layers.3."}), or the single
     * parameter of that exact name ({@code "0.weight"}).
     */
    public static ParameterBlock under(Module model, String prefix) {
        String dotted = prefix.endsWith(".") ? prefix : prefix + ".";
        String exact = prefix.endsWith(".") ? null : prefix;
        return where(model, name -> name.startsWith(dotted) || name.equals(exact), "prefix '" + prefix + "'");
    }

    /** The parameters whose dotted name passes {@code filter}; {@code description} names it in errors. */
    public static ParameterBlock where(Module model, Predicate<String> filter, String description) {
        Map<String, Variable> selected = new LinkedHashMap<>();
        for (Map.Entry<String, Variable> e : distinct(model).entrySet()) {
            if (filter.test(e.getKey())) {
                selected.put(e.getKey(), e.getValue());
            }
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("ParameterBlock: " + description + " matches none of the model's "
                    + available(model));
        }
        return new ParameterBlock(selected);
    }

    /** The parameters of the given dotted names, in the order given. */
    public static ParameterBlock named(Module model, List<String> names) {
        Map<String, Variable> byName = distinct(model);
        Map<String, Variable> selected = new LinkedHashMap<>();
        for (String name : names) {
            Variable p = byName.get(name);
            if (p == null) {
                throw new IllegalArgumentException("ParameterBlock.named: the model has no parameter '" + name
                        + "' (it has " + available(model) + ")");
            }
            if (selected.containsKey(name)) {
                throw new IllegalArgumentException("ParameterBlock.named: '" + name + "' is listed twice");
            }
            selected.put(name, p);
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("ParameterBlock.named: no names given");
        }
        return new ParameterBlock(selected);
    }

    /** The named parameters with tied duplicates removed (first name kept). */
    private static Map<String, Variable> distinct(Module model) {
        Map<String, Variable> out = new LinkedHashMap<>();
        Map<Variable, Boolean> seen = new IdentityHashMap<>();
        model.namedParameters().forEach((name, p) -> {
            if (seen.put(p, Boolean.TRUE) == null) {
                out.put(name, p);
            }
        });
        return out;
    }

    /** "3 parameters: a, b, c" with at most eight names. */
    private static String available(Module model) {
        List<String> all = new ArrayList<>(distinct(model).keySet());
        if (all.isEmpty()) {
            return "0 parameters (it has none)";
        }
        List<String> shown = all.subList(0, Math.min(8, all.size()));
        return all.size() + " parameters: " + String.join(", ", shown) + (all.size() > shown.size() ? ", ..." : "");
    }

    /** The total number of elements, the length of this block's flat vectors. */
    public int size() {
        return offsets[offsets.length - 1];
    }

    /** The dotted names, in block order. */
    public List<String> names() {
        return names;
    }

    /** The parameters, in block order (the model's own leaves, not copies). */
    public List<Variable> parameters() {
        return parameters;
    }

    /** Where tensor {@code i} starts in the flat vector; {@code offset(count())} is {@link #size()}. */
    public int offset(int i) {
        Objects.checkIndex(i, offsets.length);
        return offsets[i];
    }

    /** The number of tensors. */
    public int count() {
        return parameters.size();
    }

    /** The dtype shared by every parameter of the block. */
    public DType dtype() {
        DType first = parameters.get(0).dtype();
        for (int i = 1; i < parameters.size(); i++) {
            if (parameters.get(i).dtype() != first) {
                throw new IllegalStateException("ParameterBlock: parameters of mixed dtypes: " + names.get(0) + " is "
                        + first + ", " + names.get(i) + " is " + parameters.get(i).dtype()
                        + "; move the model to one dtype with Module.to");
            }
        }
        return first;
    }

    /** The current values of the parameters as one flat vector. */
    public double[] values() {
        List<Tensor> tensors = new ArrayList<>(parameters.size());
        for (Variable p : parameters) {
            tensors.add(p.value());
        }
        return flatten(tensors);
    }

    /** Concatenates one tensor per parameter, each of that parameter's shape (any floating dtype), into a flat vector. */
    public double[] flatten(List<Tensor> tensors) {
        if (tensors.size() != parameters.size()) {
            throw new IllegalArgumentException("ParameterBlock.flatten: " + tensors.size() + " tensors for a block of "
                    + parameters.size() + " parameters " + names);
        }
        double[] flat = new double[size()];
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t == null || !t.shape().equals(parameters.get(i).shape())) {
                throw new IllegalArgumentException("ParameterBlock.flatten: tensor " + i + " has shape "
                        + (t == null ? "null" : t.shape()) + " but parameter " + names.get(i) + " has shape "
                        + parameters.get(i).shape());
            }
            System.arraycopy(t.toDoubleArray(), 0, flat, offsets[i], offsets[i + 1] - offsets[i]);
        }
        return flat;
    }

    /** Splits a flat vector into one new tensor per parameter, of that parameter's shape and dtype. */
    public List<Tensor> unflatten(double[] flat) {
        CurvatureOperator.checkLength("ParameterBlock.unflatten", size(), flat);
        List<Tensor> out = new ArrayList<>(parameters.size());
        for (int i = 0; i < parameters.size(); i++) {
            Variable p = parameters.get(i);
            double[] part = java.util.Arrays.copyOfRange(flat, offsets[i], offsets[i + 1]);
            out.add(Tensor.of(part, p.shape().toArray()).cast(p.dtype()));
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        return "ParameterBlock" + names + " (" + size() + " elements)";
    }
}
