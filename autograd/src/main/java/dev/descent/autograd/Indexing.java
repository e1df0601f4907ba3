package dev.descent.autograd;

import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import java.util.Arrays;

import static dev.descent.autograd.Ops.node;

/**
 * Differentiable indexing: the gathers and their adjoint scatters. Each pair is built from the other, so
 * gradients of any order exist: {@code gather}'s backward is a {@code scatterAdd} into zeros, whose
 * backward with respect to its source is a {@code gather} again; {@code indexSelect}'s backward is
 * {@code indexAdd} (whole slices added at the selected positions, repeats summing up), whose backward is
 * {@code indexSelect}; {@code take} is {@code indexSelect} on the flattened value. The rules save the
 * index as a value they read, so that changing it in place before backward is reported rather than giving
 * a wrong gradient.
 */
final class Indexing {
    private Indexing() {
    }

    private static Variable[] one(Variable g) {
        return new Variable[] {g};
    }

    static Variable indexSelect(Variable x, int axis, Tensor index) {
        Tensor value = x.value().indexSelect(axis, index);
        int a = Shape.normalizeAxis("indexSelect", axis, x.dim());
        Shape from = x.shape();
        // a 0-D index drops the axis; the gradient gets it back before the slices are added
        boolean dropsAxis = index.dim() == 0;
        Tensor positions = index.reshape(-1);
        return node("indexSelect", value, x).saving(Variable.constant(index)).backward((out, g, needs) ->
                one(indexAdd(dropsAxis ? g.unsqueeze(a) : g, a, positions, from)));
    }

    /**
     * The adjoint of {@link #indexSelect}: zeros of {@code shape} with slice j of {@code g} along
     * {@code axis} added at position {@code index[j]}, so that a position selected several times gets the
     * sum of its slices.
     */
    private static Variable indexAdd(Variable g, int axis, Tensor index, Shape shape) {
        // scatterAdd_ with the positions repeated across every other axis adds whole slices
        int[] lifted = new int[g.dim()];
        Arrays.fill(lifted, 1);
        lifted[axis] = index.numel();
        Tensor spread = index.reshape(lifted).expand(g.shape().toArray());
        Tensor value = Tensor.zeros(g.dtype(), shape.toArray()).to(g.value().device())
                .scatterAdd_(axis, spread, g.value());
        return node("indexAdd", value, g).saving(Variable.constant(index))
                .backward((out, h, needs) -> one(indexSelect(h, axis, index)));
    }

    static Variable gather(Variable x, int axis, Tensor index) {
        Tensor value = x.value().gather(axis, index);
        Shape from = x.shape();
        return node("gather", value, x).saving(Variable.constant(index)).backward((out, g, needs) -> {
            Tensor zeros = Tensor.zeros(g.dtype(), from.toArray()).to(g.value().device());
            if (!GradMode.isEnabled()) {
                // first order: added into the zeros in place, a new tensor that only the backward pass holds
                return one(Variable.exclusive(zeros.scatterAdd_(axis, index, g.value())));
            }
            return one(scatterAdd(Variable.constant(zeros), axis, index, g));
        });
    }

    /**
     * Linear in both x and src: x's gradient is the output's, src's is the output's gradient at the
     * positions src was added to. Like the tensor op, only src's leading part of index's shape is used; the
     * rest of src gets a zero gradient.
     */
    static Variable scatterAdd(Variable x, int axis, Tensor index, Variable src) {
        Tensor value = x.value().scatterAdd(axis, index, src.value());
        Shape srcShape = src.shape();
        return node("scatterAdd", value, x, src).saving(Variable.constant(index)).backward((out, g, needs) ->
                new Variable[] {
                    needs[0] ? g : null,
                    needs[1] ? padTo(gather(g, axis, index), srcShape) : null});
    }

    /** {@code g} with zeros after it along every axis where it is shorter than {@code shape}. */
    private static Variable padTo(Variable g, Shape shape) {
        if (g.shape().equals(shape)) {
            return g;
        }
        int rank = shape.rank();
        int[] padding = new int[2 * rank];
        for (int d = 0; d < rank; d++) {
            padding[2 * (rank - 1 - d) + 1] = shape.get(d) - g.size(d);
        }
        return g.pad(padding, 0);
    }

    static Variable take(Variable x, Tensor index) {
        Tensor value = x.value().take(index);
        Shape from = x.shape();
        Tensor positions = index.reshape(-1);
        return node("take", value, x).saving(Variable.constant(index)).backward((out, g, needs) ->
                one(indexAdd(g.reshape(-1), 0, positions, Shape.of(from.numel())).reshape(from.toArray())));
    }
}
