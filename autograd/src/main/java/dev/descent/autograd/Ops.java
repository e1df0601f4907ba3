package dev.descent.autograd;

import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;

/**
 * Recording of operations, shared by every family of differentiable operations:
 * {@code Ops.node("mul", value, a, b).saving(a, b).backward((out, g, needs) -> ...)} returns the output
 * variable, with a graph node when grad mode is on and some input requires a gradient, and as a plain
 * constant otherwise (so that nothing is recorded in no-grad code or in first-order backward passes).
 * Also the pair of primitives every broadcasting rule needs: {@link #sumTo} and {@link #broadcastTo}.
 */
final class Ops {
    private Ops() {
    }

    /** Starts recording operation {@code op} that produced {@code value} from {@code inputs}. */
    static Recorder node(String op, Tensor value, Variable... inputs) {
        return new Recorder(op, value, inputs);
    }

    /** Collects what a node needs, then makes the output. */
    static final class Recorder {
        private static final Variable[] NONE = new Variable[0];
        private final String op;
        private final Tensor value;
        private final Variable[] inputs;
        private final boolean records;
        private Variable[] saved = NONE;
        private boolean savesOutput;

        private Recorder(String op, Tensor value, Variable[] inputs) {
            this.op = op;
            this.value = value;
            this.inputs = inputs;
            boolean any = false;
            if (GradMode.isEnabled()) {
                for (Variable v : inputs) {
                    any |= v.requiresGrad();
                }
            }
            this.records = any;
        }

        /** Values the rule reads; an in-place change to any of them before backward is reported. */
        Recorder saving(Variable... values) {
            this.saved = values;
            return this;
        }

        /** The rule reads the output too. */
        Recorder savingOutput() {
            this.savesOutput = true;
            return this;
        }

        /** The output, recorded with {@code rule} as its backward when anything requires a gradient. */
        Variable backward(BackwardRule rule) {
            if (!records) {
                return Variable.constant(value);
            }
            Node node = new Node(op, inputs, rule, saved);
            Variable out = Variable.withNode(value, node);
            if (savesOutput) {
                node.saveOutput(out);
            }
            return out;
        }
    }

    /** Sums {@code g} down to {@code shape} by the broadcasting rules: the adjoint of {@link #broadcastTo}. */
    static Variable sumTo(Variable g, Shape shape) {
        if (g.shape().equals(shape)) {
            return g;
        }
        Shape from = g.shape();
        Tensor value = sumTo(g.value(), shape);
        return node("sumTo", value, g).backward((out, grad, needs) -> new Variable[] {broadcastTo(grad, from)});
    }

    /** Expands {@code x} to {@code shape} (a view): the adjoint of {@link #sumTo}. */
    static Variable broadcastTo(Variable x, Shape shape) {
        if (x.shape().equals(shape)) {
            return x;
        }
        Shape from = x.shape();
        return node("broadcastTo", x.value().broadcastTo(shape), x)
                .backward((out, grad, needs) -> new Variable[] {sumTo(grad, from)});
    }

    /** The tensor sum behind {@link #sumTo(Variable, Shape)}. */
    static Tensor sumTo(Tensor g, Shape shape) {
        int extra = g.dim() - shape.rank();
        if (extra < 0) {
            throw new IllegalArgumentException("sumTo: shape " + g.shape() + " cannot be summed to " + shape);
        }
        int[] axes = new int[g.dim()];
        int count = 0;
        for (int d = 0; d < g.dim(); d++) {
            if (d < extra || (shape.get(d - extra) == 1 && g.size(d) != 1)) {
                axes[count++] = d;
            } else if (shape.get(d - extra) != g.size(d)) {
                throw new IllegalArgumentException("sumTo: shape " + g.shape() + " cannot be summed to " + shape);
            }
        }
        Tensor summed = count == 0 ? g : g.sum(java.util.Arrays.copyOf(axes, count), true);
        return summed.reshape(shape.toArray());
    }
}
