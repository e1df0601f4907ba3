package dev.descent.autograd;

import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Entry points of automatic differentiation that are not methods of a single value: {@link #grad}, the
 * no-grad and anomaly scopes.
 *
 * <pre>{@code
 * Variable w = Variable.parameter(Tensor.randn(rng, 3));
 * Variable loss = w.square().sum();
 * Variable g = Autograd.grad(loss, w);                        // 2w, .grad untouched
 * try (var scope = Autograd.noGrad()) { w.value().sub_(g.value().mul(0.1)); }
 * }</pre>
 */
public final class Autograd {
    private Autograd() {
    }

    /** A scope that restores the previous setting when closed; for try-with-resources. */
    public static final class Scope implements AutoCloseable {
        private final Runnable restore;
        private boolean closed;

        private Scope(Runnable restore) {
            this.restore = restore;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                restore.run();
            }
        }
    }

    /** Turns recording off on this thread until the returned scope is closed (PyTorch's {@code no_grad}). */
    public static Scope noGrad() {
        boolean before = GradMode.set(false);
        return new Scope(() -> GradMode.set(before));
    }

    /** Turns recording on on this thread until the returned scope is closed (PyTorch's {@code enable_grad}). */
    public static Scope enableGrad() {
        boolean before = GradMode.set(true);
        return new Scope(() -> GradMode.set(before));
    }

    /**
     * Turns recording on or off on this thread and returns the previous setting (PyTorch's
     * {@code set_grad_enabled}); for code that restores it in a {@code finally} without allocating a scope.
     */
    public static boolean setGradEnabled(boolean enabled) {
        return GradMode.set(enabled);
    }

    /** Whether operations on this thread are recorded for backward. */
    public static boolean isGradEnabled() {
        return GradMode.isEnabled();
    }

    /**
     * Anomaly mode on this thread until the scope is closed: every node remembers where its forward ran,
     * and a NaN or infinity produced by a backward rule fails naming that operation (with the forward's
     * stack as the cause). Slow; for debugging.
     */
    public static Scope detectAnomaly() {
        boolean before = GradMode.setAnomaly(true);
        return new Scope(() -> GradMode.setAnomaly(before));
    }

    /** The gradient of the scalar {@code output} with respect to {@code input}, without a graph. */
    public static Variable grad(Variable output, Variable input) {
        return grad(List.of(output), List.of(input), null, false, false, false).get(0);
    }

    /** The gradients of the scalar {@code output} with respect to {@code inputs}; {@code createGraph} as in {@link #grad(List, List, List, boolean, boolean, boolean)}. */
    public static List<Variable> grad(Variable output, List<Variable> inputs, boolean createGraph) {
        return grad(List.of(output), inputs, null, createGraph, createGraph, false);
    }

    /**
     * The gradients of {@code outputs} with respect to {@code inputs}, as new values; no {@code .grad} is
     * touched.
     *
     * @param gradOutputs  the gradient of each output (the vector of the vector-Jacobian product); null, or a
     *                     null entry, means ones and is allowed only for a single-element output
     * @param retainGraph  keep the graph so that another backward can run through it
     * @param createGraph  record the backward pass, so that the returned gradients can be differentiated
     *                     again (gradients of gradients, Hessian-vector products)
     * @param allowUnused  return null for an input that no output depends on, instead of failing
     */
    public static List<@Nullable Variable> grad(List<Variable> outputs, List<Variable> inputs,
                                                @Nullable List<@Nullable Tensor> gradOutputs,
                                      boolean retainGraph, boolean createGraph, boolean allowUnused) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("grad: no outputs given");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!inputs.get(i).requiresGrad()) {
                throw new IllegalArgumentException("grad: input " + i + " (shape " + inputs.get(i).shape()
                        + ") does not require a gradient; make it with Variable.parameter or requiresGrad(true)");
            }
        }
        List<Variable> seeds = seeds("grad", outputs, gradOutputs);
        Variable[] result = Engine.run(outputs, seeds, inputs, retainGraph, createGraph);
        for (int i = 0; i < result.length; i++) {
            if (result[i] == null && !allowUnused) {
                throw new IllegalArgumentException("grad: input " + i + " (shape " + inputs.get(i).shape()
                        + ") was not used to compute the outputs; pass allowUnused = true to get null for it");
            }
        }
        return Arrays.asList(result);
    }

    /** The seed of each output: its given gradient, or ones for a single-element output. */
    static List<Variable> seeds(String op, List<Variable> outputs, List<Tensor> gradOutputs) {
        if (gradOutputs != null && gradOutputs.size() != outputs.size()) {
            throw new IllegalArgumentException(op + ": " + outputs.size() + " outputs but " + gradOutputs.size()
                    + " output gradients");
        }
        List<Variable> seeds = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            Variable out = outputs.get(i);
            if (!out.requiresGrad()) {
                throw new IllegalArgumentException(op + ": output " + i + " (shape " + out.shape() + ") does not"
                        + " require a gradient: no input it was computed from requires one, or it was computed"
                        + " with grad mode off");
            }
            Tensor g = gradOutputs == null ? null : gradOutputs.get(i);
            if (g == null) {
                if (out.numel() != 1) {
                    throw new IllegalArgumentException(op + ": output " + i + " has shape " + out.shape()
                            + "; a gradient can be implied only for a single-element output, so pass gradOutputs");
                }
                g = out.value().onesLike();
            } else if (!g.shape().equals(out.shape()) || g.dtype() != out.dtype()) {
                throw new IllegalArgumentException(op + ": the gradient of output " + i + " has shape " + g.shape()
                        + " (" + g.dtype() + ") but the output has shape " + out.shape() + " (" + out.dtype() + ")");
            }
            seeds.add(Variable.constant(g));
        }
        return seeds;
    }
}
