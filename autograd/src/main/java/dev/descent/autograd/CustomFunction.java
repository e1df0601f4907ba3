package dev.descent.autograd;

import dev.descent.tensor.Tensor;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A user-defined differentiable operation: a forward on tensors and a backward written in {@link Variable}
 * operations, as PyTorch's {@code torch.autograd.Function}. The operation is recorded like a built-in one:
 * under its name, with one node, and only when grad mode is on and some input requires a gradient. Because
 * the backward is made of differentiable operations, its result can be differentiated again
 * ({@code createGraph}): second derivatives, Hessian-vector products and {@code gradgradcheck} work.
 *
 * <pre>{@code
 * // x * sigmoid(x) in one node, with its derivative s (1 + x (1 - s))
 * CustomFunction swish = CustomFunction.of("swish",
 *         in -> in[0].mul(in[0].sigmoid()),
 *         (ctx, g) -> {
 *             Variable x = ctx.input(0);
 *             Variable s = x.sigmoid();
 *             return new Variable[] {g.mul(s.mul(x.mul(s.rsub(1)).add(1)))};
 *         });
 * Variable y = swish.apply(x);
 * }</pre>
 *
 * In Kotlin: {@code val cube = CustomFunction.of("cube", { it[0].pow(3.0) }) { ctx, g ->
 * arrayOf(g.mul(ctx.input(0).square()).mul(3.0)) }}, then {@code cube.apply(x)}.
 *
 * <p>The node saves every input and the output: changing any of them in place between the forward and the
 * backward is reported by the backward, as for built-in operations. An operation with several outputs is
 * written as one function per output (as {@code split} records one node per piece).
 */
public final class CustomFunction {
    private final String name;
    private final Forward forward;
    private final Backward backward;

    private CustomFunction(String name, Forward forward, Backward backward) {
        this.name = name;
        this.forward = forward;
        this.backward = backward;
    }

    /**
     * The forward of a custom operation: the output tensor computed from the inputs' tensors. It must not
     * change its inputs in place.
     */
    @FunctionalInterface
    public interface Forward {
        /**
         * @param inputs the inputs' values, in the order given to {@link #apply(Variable...)}
         * @return the output, FLOAT32 or FLOAT64
         */
        Tensor forward(Tensor[] inputs);
    }

    /**
     * The backward of a custom operation, written in {@link Variable} operations (never on raw tensors,
     * or second derivatives through it would be silently wrong).
     */
    @FunctionalInterface
    public interface Backward {
        /**
         * @param ctx        the inputs, the output, and which inputs need a gradient
         * @param gradOutput the gradient of the output, of the output's shape
         * @return one gradient per input, each of that input's shape and dtype, or null for an input that
         *         gets none (an index, or one with {@code ctx.needsInputGrad(i)} false)
         */
        @Nullable Variable[] backward(Context ctx, Variable gradOutput);
    }

    /** What a {@link Backward} can read: the operation's inputs and output, and which gradients are wanted. */
    public static final class Context {
        private final Variable[] inputs;
        private final Variable output;
        private final boolean[] needs;

        private Context(Variable[] inputs, Variable output, boolean[] needs) {
            this.inputs = inputs;
            this.output = output;
            this.needs = needs;
        }

        /** Input {@code i} as given to {@code apply}; gradients built from it are differentiable in it. */
        public Variable input(int i) {
            return inputs[i];
        }

        /** The number of inputs. */
        public int inputCount() {
            return inputs.length;
        }

        /** The output, for rules that reuse it (as {@code exp}'s); it stays differentiable through this node. */
        public Variable output() {
            return output;
        }

        /** Whether input {@code i}'s gradient is wanted; the backward may return null for the others. */
        public boolean needsInputGrad(int i) {
            return needs[i];
        }
    }

    /**
     * A custom operation.
     *
     * @param name     the name its nodes are recorded under, used in error messages ({@link Variable#opName()})
     * @param forward  the output's value from the inputs' values
     * @param backward the inputs' gradients from the output's, in {@code Variable} operations
     */
    public static CustomFunction of(String name, Forward forward, Backward backward) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(backward, "backward");
        return new CustomFunction(name, forward, backward);
    }

    /** The name its nodes are recorded under. */
    public String name() {
        return name;
    }

    /** Runs the forward on the inputs' values and, when anything requires a gradient, records the node. */
    public Variable apply(Variable... inputs) {
        Variable[] in = inputs.clone();
        Tensor[] values = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) {
            if (in[i] == null) {
                throw new IllegalArgumentException("custom function '" + name + "': input " + i + " is null");
            }
            values[i] = in[i].value();
        }
        Tensor out = forward.forward(values);
        if (out == null || !out.dtype().isFloatingPoint()) {
            throw new IllegalStateException("custom function '" + name + "': forward returned "
                    + (out == null ? "null" : "a " + out.dtype() + " tensor (shape " + out.shape() + ")")
                    + "; the output of a differentiable operation must be FLOAT32 or FLOAT64");
        }
        return Ops.node(name, out, in).saving(in).savingOutput()
                .backward((output, g, needs) -> checked(backward.backward(new Context(in, output, needs), g), in));
    }

    /** {@link #apply(Variable...)} with the inputs in a list. */
    public Variable apply(List<Variable> inputs) {
        return apply(inputs.toArray(new Variable[0]));
    }

    /**
     * The backward's result, checked for every gradient it returns (not only the wanted ones), so that a
     * wrong rule fails the first time it runs whichever inputs require a gradient.
     */
    private Variable[] checked(Variable[] grads, Variable[] inputs) {
        if (grads == null || grads.length != inputs.length) {
            throw new IllegalStateException("custom function '" + name + "': backward returned "
                    + (grads == null ? "null" : grads.length + " gradients") + " for " + inputs.length
                    + " inputs; return one per input (null for an input that gets none)");
        }
        for (int i = 0; i < grads.length; i++) {
            Variable g = grads[i];
            Variable x = inputs[i];
            if (g != null && (!g.shape().equals(x.shape()) || g.dtype() != x.dtype())) {
                throw new IllegalStateException("custom function '" + name + "': backward returned a gradient of"
                        + " shape " + g.shape() + " (" + g.dtype() + ") for input " + i + " of shape " + x.shape()
                        + " (" + x.dtype() + "); each gradient must have its input's shape and dtype (sum it over"
                        + " broadcast axes), or be null");
            }
        }
        return grads;
    }

    @Override
    public String toString() {
        return "CustomFunction(" + name + ")";
    }
}
