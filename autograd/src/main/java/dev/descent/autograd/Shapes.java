package dev.descent.autograd;

import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

import static dev.descent.autograd.Ops.node;

/**
 * Views, copies, casts and joining, with their backward rules. The adjoint pairs: reshape-like views undo
 * each other, {@code narrow}/{@code select}/{@code slice} put the gradient back into zeros (which is
 * {@code pad} with zeros, or a strided copy), {@code pad} is its own adjoint with the padding negated,
 * {@code cat} splits the gradient and {@code split} concatenates it.
 */
final class Shapes {
    private Shapes() {
    }

    private static Variable[] one(Variable g) {
        return new Variable[] {g};
    }

    /** A view whose gradient is the output gradient reshaped back to the input's shape. */
    private static Variable reshaped(String op, Variable x, Tensor value) {
        Shape from = x.shape();
        return node(op, value, x).backward((out, g, needs) -> one(g.reshape(from.toArray())));
    }

    static Variable reshape(Variable x, int[] newShape) {
        return reshaped("reshape", x, x.value().reshape(newShape));
    }

    static Variable view(Variable x, int[] newShape) {
        return reshaped("view", x, x.value().view(newShape));
    }

    static Variable squeeze(Variable x) {
        return reshaped("squeeze", x, x.value().squeeze());
    }

    static Variable squeeze(Variable x, int axis) {
        return reshaped("squeeze", x, x.value().squeeze(axis));
    }

    static Variable unsqueeze(Variable x, int axis) {
        return reshaped("unsqueeze", x, x.value().unsqueeze(axis));
    }

    static Variable flatten(Variable x, int startAxis, int endAxis) {
        return reshaped("flatten", x, x.value().flatten(startAxis, endAxis));
    }

    static Variable permute(Variable x, int[] order) {
        Tensor value = x.value().permute(order);
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            inverse[Shape.normalizeAxis("permute", order[i], order.length)] = i;
        }
        return node("permute", value, x).backward((out, g, needs) -> one(g.permute(inverse)));
    }

    static Variable transpose(Variable x, int a, int b) {
        return node("transpose", x.value().transpose(a, b), x).backward((out, g, needs) -> one(g.transpose(a, b)));
    }

    static Variable t(Variable x) {
        return node("t", x.value().t(), x).backward((out, g, needs) -> one(g.t()));
    }

    static Variable narrow(Variable x, int axis, int start, int length) {
        Tensor value = x.value().narrow(axis, start, length);
        int a = Shape.normalizeAxis("narrow", axis, x.dim());
        int s = start < 0 ? start + x.size(a) : start;
        int after = x.size(a) - s - length;
        return node("narrow", value, x).backward(new NarrowRule(a, s, after));
    }

    /**
     * narrow's gradient: {@code g} between zeros along {@code axis}. A record, so that a first-order backward
     * pass ({@link Engine}) can add {@code g} straight into the slice of its input's gradient instead.
     */
    record NarrowRule(int axis, int start, int after) implements BackwardRule {
        @Override
        public Variable[] apply(Variable output, Variable gradOutput, boolean[] needs) {
            return one(padAxis(gradOutput, axis, start, after));
        }
    }

    /** Zeros before and after {@code g} along one axis (a negative count crops). */
    static Variable padAxis(Variable g, int axis, int before, int after) {
        int[] padding = new int[2 * (g.dim() - axis)];
        padding[padding.length - 2] = before;
        padding[padding.length - 1] = after;
        return pad(g, padding, 0);
    }

    static Variable slice(Variable x, int axis, int start, int end, int step) {
        Tensor value = x.value().slice(axis, start, end, step);
        Shape from = x.shape();
        return node("slice", value, x)
                .backward((out, g, needs) -> one(unslice(g, from, axis, start, end, step)));
    }

    /** The adjoint of slice: {@code g} written into zeros of {@code shape} at the sliced positions. */
    private static Variable unslice(Variable g, Shape shape, int axis, int start, int end, int step) {
        Tensor zeros = Tensor.zeros(g.dtype(), shape.toArray()).to(g.value().device());
        zeros.slice(axis, start, end, step).copy_(g.value());
        return node("unslice", zeros, g)
                .backward((out, gg, needs) -> one(slice(gg, axis, start, end, step)));
    }

    static Variable select(Variable x, int axis, int index) {
        Tensor value = x.value().select(axis, index);
        int a = Shape.normalizeAxis("select", axis, x.dim());
        int i = index < 0 ? index + x.size(a) : index;
        int after = x.size(a) - i - 1;
        return node("select", value, x).backward((out, g, needs) -> one(padAxis(g.unsqueeze(a), a, i, after)));
    }

    static Variable get(Variable x, int[] indices) {
        if (indices.length > x.dim()) {
            throw new IllegalArgumentException("get: " + indices.length + " indices for shape " + x.shape());
        }
        Variable r = x;
        for (int index : indices) {
            r = select(r, 0, index);
        }
        return r;
    }

    static Variable expand(Variable x, int[] newShape) {
        Tensor value = x.value().expand(newShape);
        Shape from = x.shape();
        return node("expand", value, x).backward((out, g, needs) -> one(Ops.sumTo(g, from)));
    }

    static Variable contiguous(Variable x) {
        if (x.value().isContiguous()) {
            return x;
        }
        return node("contiguous", x.value().contiguous(), x).backward((out, g, needs) -> one(g));
    }

    static Variable copy(Variable x) {
        return node("clone", x.value().clone(), x).backward((out, g, needs) -> one(g));
    }

    static Variable cast(Variable x, DType target) {
        if (target == x.dtype()) {
            return x;
        }
        Tensor value = x.value().cast(target);
        if (!target.isFloatingPoint()) {
            return Variable.constant(value); // integer and boolean results carry no gradient
        }
        DType from = x.dtype();
        return node("cast", value, x).backward((out, g, needs) -> one(g.cast(from)));
    }

    static Variable cat(List<Variable> values, int axis) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("cat: no values given");
        }
        List<Tensor> tensors = new ArrayList<>(values.size());
        for (Variable v : values) {
            tensors.add(v.value());
        }
        Tensor value = Tensor.cat(tensors, axis);
        int a = Shape.normalizeAxis("cat", axis, value.dim());
        int[] starts = new int[values.size()];
        for (int i = 1; i < starts.length; i++) {
            starts[i] = starts[i - 1] + values.get(i - 1).size(a);
        }
        return node("cat", value, values.toArray(new Variable[0])).backward((out, g, needs) -> {
            Variable[] grads = new Variable[values.size()];
            for (int i = 0; i < grads.length; i++) {
                if (needs[i]) {
                    grads[i] = narrow(g, a, starts[i], values.get(i).size(a));
                }
            }
            return grads;
        });
    }

    static Variable stack(List<Variable> values, int axis) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("stack: no values given");
        }
        int a = Shape.normalizeAxis("stack", axis, values.get(0).dim() + 1);
        for (Variable v : values) {
            if (!v.shape().equals(values.get(0).shape())) {
                // the tensor op names every shape
                Tensor.stack(values.stream().map(Variable::value).toList(), axis);
            }
        }
        List<Variable> lifted = new ArrayList<>(values.size());
        for (Variable v : values) {
            lifted.add(unsqueeze(v, a));
        }
        return cat(lifted, a);
    }

    static List<Variable> split(Variable x, int size, int axis) {
        return pieces(x, x.value().split(size, axis), axis);
    }

    static List<Variable> split(Variable x, int[] sizes, int axis) {
        return pieces(x, x.value().split(sizes, axis), axis);
    }

    static List<Variable> chunk(Variable x, int chunks, int axis) {
        return pieces(x, x.value().chunk(chunks, axis), axis);
    }

    /** The pieces the tensor op made, as narrow views of x (one node each). */
    private static List<Variable> pieces(Variable x, List<Tensor> parts, int axis) {
        int a = Shape.normalizeAxis("split", axis, x.dim());
        List<Variable> result = new ArrayList<>(parts.size());
        int start = 0;
        for (Tensor part : parts) {
            result.add(narrow(x, a, start, part.size(a)));
            start += part.size(a);
        }
        return result;
    }

    static Variable pad(Variable x, int[] padding, double value) {
        Tensor padded = x.value().pad(padding, value);
        int[] negated = new int[padding.length];
        for (int i = 0; i < padding.length; i++) {
            negated[i] = -padding[i];
        }
        return node("pad", padded, x).backward((out, g, needs) -> one(pad(g, negated, 0)));
    }
}
