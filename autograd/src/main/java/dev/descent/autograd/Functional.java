package dev.descent.autograd;

import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Derivatives of whole functions, as {@code torch.autograd.functional}: vector-Jacobian and
 * Jacobian-vector products, Hessian-vector products, and dense Jacobians and Hessians of small functions.
 *
 * <pre>{@code
 * Function<List<Variable>, Variable> loss = ps -> ps.get(0).tanh().mul(ps.get(1)).sum();
 * List<Tensor> hv = Functional.hvp(loss, List.of(w, b), List.of(vw, vb));  // H v, one tensor per parameter
 * Tensor h = Functional.hessian(x -> x.pow(4).sum(), Tensor.of(1.0, 2.0));  // [[12, 0], [0, 48]]
 * }</pre>
 *
 * <p>Every method runs {@code f} with recording on (inside a no-grad scope too), differentiates with
 * {@link Autograd#grad}, and returns plain tensors: no {@code .grad} is touched and none of the graphs it
 * builds outlives the call. Its passes retain their graphs, so a graph that {@code f} reads from outside
 * (values computed earlier from the parameters) is never freed by it. An input on which the output does not
 * depend gets a zero derivative, as PyTorch's default ({@code strict = False}).
 *
 * <p>In the methods that take {@code List<Variable>}, a value that requires a gradient is differentiated
 * as it is, so {@code f} may equally read it from a model it closes over; any other floating-point value
 * is replaced by a fresh leaf that shares its tensor.
 */
public final class Functional {
    private Functional() {
    }

    /**
     * The output of a function and its vector-Jacobian product.
     *
     * @param output the function's value
     * @param vjp    {@code vᵀ J} for each input, of that input's shape
     */
    public record VjpResult(Tensor output, List<Tensor> vjp) {
    }

    /**
     * The output of a function and its Jacobian-vector product.
     *
     * @param output the function's value
     * @param jvp    {@code J u}, of the output's shape
     */
    public record JvpResult(Tensor output, Tensor jvp) {
    }

    /**
     * The vector-Jacobian product {@code vᵀ J} of {@code f} at {@code inputs}: one reverse pass.
     *
     * @param v the output's cotangent, of the output's shape and dtype; null means ones and is allowed only
     *          for a single-element output
     */
    public static VjpResult vjp(Function<List<Variable>, Variable> f, List<Variable> inputs, @Nullable Tensor v) {
        try (Autograd.Scope scope = Autograd.enableGrad()) {
            List<Variable> xs = leaves("vjp", inputs);
            Variable out = evaluate("vjp", f, xs);
            if (v != null) {
                requireLike("vjp", "v", v, "f's output", out.value());
            } else if (out.numel() != 1) {
                throw new IllegalArgumentException("vjp: f's output has shape " + out.shape()
                        + "; v can be left out (null) only for a single-element output");
            }
            List<Variable> grads = gradients(out, xs, v, false);
            return new VjpResult(out.value(), tensors(grads, xs));
        }
    }

    /**
     * The Jacobian-vector product {@code J u} of {@code f} at {@code inputs}, computed with two reverse
     * passes since there is no forward mode (the "R-operator"): {@code a = Jᵀ w} with a graph, for a dummy
     * cotangent {@code w}, then the gradient of {@code <a, u>} with respect to {@code w}. About twice the
     * cost of {@link #vjp}.
     *
     * @param u one tangent per input, of that input's shape and dtype
     */
    public static JvpResult jvp(Function<List<Variable>, Variable> f, List<Variable> inputs, List<Tensor> u) {
        requireVectors("jvp", "u", inputs, u);
        try (Autograd.Scope scope = Autograd.enableGrad()) {
            List<Variable> xs = leaves("jvp", inputs);
            Variable out = evaluate("jvp", f, xs);
            if (!out.requiresGrad()) {
                return new JvpResult(out.value(), out.value().zerosLike());
            }
            // Jᵀ w is linear in w, so the value of w is irrelevant: zeros, as PyTorch
            Variable w = Variable.parameter(out.value().zerosLike());
            List<Variable> a = gradients(out.mul(w).sum(), xs, null, true);
            Variable inner = innerProduct(a, u);
            Variable jv = inner == null ? null : gradients(inner, List.of(w), null, false).get(0);
            return new JvpResult(out.value(), jv == null ? out.value().zerosLike() : jv.value().contiguous());
        }
    }

    /**
     * The Hessian-vector product {@code H v} of the scalar function {@code f} at {@code params}, by double
     * backprop: the gradient {@code g} with a graph, then the gradient of {@code <g, v>}. The Hessian is
     * never formed.
     *
     * @param v one vector per parameter, of that parameter's shape and dtype
     * @return {@code H v}, one new tensor per parameter, of that parameter's shape
     */
    public static List<Tensor> hvp(Function<List<Variable>, Variable> f, List<Variable> params, List<Tensor> v) {
        requireVectors("hvp", "v", params, v);
        try (Autograd.Scope scope = Autograd.enableGrad()) {
            List<Variable> xs = leaves("hvp", params);
            Variable out = requireScalar("hvp", evaluate("hvp", f, xs));
            Variable inner = innerProduct(gradients(out, xs, null, true), v);
            List<Variable> hv = inner == null ? Arrays.asList(new Variable[xs.size()])
                    : gradients(inner, xs, null, false);
            return tensors(hv, xs);
        }
    }

    /** {@link #hvp(Function, List, List)} of a function of one tensor. */
    public static Tensor hvp(Function<Variable, Variable> f, Tensor x, Tensor v) {
        return hvp(xs -> f.apply(xs.get(0)), List.of(Variable.constant(x)), Collections.singletonList(v)).get(0);
    }

    /**
     * The dense Jacobian of {@code f} at {@code x}, of shape {@code out.shape ++ x.shape}: one reverse pass
     * per output element, so for small functions only.
     */
    public static Tensor jacobian(Function<Variable, Variable> f, Tensor x) {
        try (Autograd.Scope scope = Autograd.enableGrad()) {
            Variable leaf = leaves("jacobian", List.of(Variable.constant(x))).get(0);
            return dense(evaluate("jacobian", f, leaf), leaf);
        }
    }

    /**
     * The dense Hessian of the scalar function {@code f} at {@code x}, of shape {@code x.shape ++ x.shape}:
     * the Jacobian of the gradient, one reverse pass through the gradient's graph per element of {@code x}.
     */
    public static Tensor hessian(Function<Variable, Variable> f, Tensor x) {
        try (Autograd.Scope scope = Autograd.enableGrad()) {
            Variable leaf = leaves("hessian", List.of(Variable.constant(x))).get(0);
            Variable out = evaluate("hessian", f, leaf);
            if (out.numel() != 1) {
                throw new IllegalArgumentException("hessian: f must return a single-element value, got shape "
                        + out.shape() + " for an input of shape " + x.shape()
                        + "; for a function with several outputs use jacobian");
            }
            Variable g = gradients(out, List.of(leaf), null, true).get(0);
            return dense(g != null ? g : Variable.constant(x.zerosLike()), leaf);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** What f is applied to: values that require a gradient as they are, others as fresh leaves. */
    private static List<Variable> leaves(String op, List<Variable> inputs) {
        List<Variable> xs = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Variable in = inputs.get(i);
            if (in.requiresGrad()) {
                xs.add(in);
            } else if (in.dtype().isFloatingPoint()) {
                xs.add(Variable.parameter(in.value()));
            } else {
                throw new IllegalArgumentException(op + ": input " + i + " is " + in.dtype() + " (shape " + in.shape()
                        + "); only FLOAT32 and FLOAT64 values can be differentiated");
            }
        }
        return xs;
    }

    private static Variable evaluate(String op, Function<List<Variable>, Variable> f, List<Variable> xs) {
        Variable out = f.apply(xs);
        if (out == null) {
            throw new IllegalStateException(op + ": f returned null");
        }
        return out;
    }

    private static Variable evaluate(String op, Function<Variable, Variable> f, Variable x) {
        return evaluate(op, xs -> f.apply(xs.get(0)), List.of(x));
    }

    private static Variable requireScalar(String op, Variable out) {
        if (out.numel() != 1) {
            throw new IllegalArgumentException(op + ": f must return a single-element value (a scalar loss), got"
                    + " shape " + out.shape());
        }
        return out;
    }

    /** One vector per input, each of its input's shape and dtype. */
    private static void requireVectors(String op, String name, List<Variable> inputs, List<Tensor> vectors) {
        if (vectors.size() != inputs.size()) {
            throw new IllegalArgumentException(op + ": " + inputs.size() + " inputs but " + vectors.size()
                    + " tensors in " + name + "; give one per input");
        }
        for (int i = 0; i < inputs.size(); i++) {
            requireLike(op, name + "[" + i + "]", vectors.get(i), "input " + i, inputs.get(i).value());
        }
    }

    private static void requireLike(String op, String name, Tensor t, String what, Tensor like) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
        if (!t.shape().equals(like.shape()) || t.dtype() != like.dtype()) {
            throw new IllegalArgumentException(op + ": " + name + " has shape " + t.shape() + " (" + t.dtype() + ") but "
                    + what + " has shape " + like.shape() + " (" + like.dtype() + ")");
        }
    }

    /**
     * The gradients of {@code out} with respect to {@code xs} (seeded with {@code seed}, or ones), null for
     * an input that {@code out} does not depend on; all null when {@code out} depends on none.
     */
    private static List<Variable> gradients(Variable out, List<Variable> xs, Tensor seed, boolean createGraph) {
        if (!out.requiresGrad()) {
            return Arrays.asList(new Variable[xs.size()]);
        }
        List<Tensor> seeds = new ArrayList<>(1);
        seeds.add(seed);
        return Autograd.grad(List.of(out), xs, seeds, true, createGraph, true);
    }

    /**
     * {@code Σ_i <a_i, v_i>} over the gradients that depend on the inputs, or null when none does (then
     * its derivative is zero).
     */
    private static Variable innerProduct(List<Variable> a, List<Tensor> v) {
        Variable sum = null;
        for (int i = 0; i < a.size(); i++) {
            Variable ai = a.get(i);
            if (ai != null && ai.requiresGrad()) {
                Variable term = ai.mul(Variable.constant(v.get(i))).sum();
                sum = sum == null ? term : sum.add(term);
            }
        }
        return sum;
    }

    /** The gradients as tensors: zeros for null ones, non-contiguous views copied. */
    private static List<Tensor> tensors(List<Variable> grads, List<Variable> xs) {
        List<Tensor> result = new ArrayList<>(grads.size());
        for (int i = 0; i < grads.size(); i++) {
            Variable g = grads.get(i);
            result.add(g == null ? xs.get(i).value().zerosLike() : g.value().contiguous());
        }
        return result;
    }

    /** The dense Jacobian of {@code out} with respect to the leaf {@code x}: one pass per element of out. */
    private static Tensor dense(Variable out, Variable x) {
        int m = out.numel();
        int n = x.numel();
        double[] rows = new double[m * n];
        if (out.requiresGrad()) {
            for (int i = 0; i < m; i++) {
                double[] e = new double[m];
                e[i] = 1;
                Tensor seed = Tensor.of(e, out.shape().toArray()).cast(out.dtype());
                Variable row = gradients(out, List.of(x), seed, false).get(0);
                if (row != null) {
                    System.arraycopy(row.value().toDoubleArray(), 0, rows, i * n, n);
                }
            }
        }
        int[] shape = new int[out.dim() + x.dim()];
        System.arraycopy(out.shape().toArray(), 0, shape, 0, out.dim());
        System.arraycopy(x.shape().toArray(), 0, shape, out.dim(), x.dim());
        return Tensor.of(rows, shape).cast(x.dtype());
    }
}
