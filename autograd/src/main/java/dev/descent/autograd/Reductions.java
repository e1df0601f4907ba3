package dev.descent.autograd;

import dev.descent.tensor.ActivationGrads;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;

import static dev.descent.autograd.Ops.node;

/**
 * Differentiable reductions, softmax and log-softmax. {@code axes == null} means every axis. A reduction's
 * gradient is the output gradient reshaped to the kept shape (reduced axes of size 1) and broadcast back.
 *
 * <p>The rules follow PyTorch's gradient conventions: amax/amin split the gradient equally among tied
 * extremes, max/min along an axis send it to the returned index only, std and the 2-norm give 0 (not NaN)
 * where the result is 0. Where a rule must divide by a value that may be 0, the divisor is first replaced
 * by 1 there and the quotient masked afterwards, so that no infinity enters the graph of the gradient
 * (it would turn into NaN in second derivatives).
 */
final class Reductions {
    private Reductions() {
    }

    private static Variable[] one(Variable g) {
        return new Variable[] {g};
    }

    /** x's shape with the reduced axes set to 1 (all of them when axes is null). */
    static Shape keptShape(Variable x, int[] axes) {
        int[] kept = x.shape().toArray();
        if (axes == null) {
            java.util.Arrays.fill(kept, 1);
        } else if (x.dim() > 0) { // a scalar accepts axis 0 or -1 and keeps its (empty) shape
            for (int a : axes) {
                kept[Shape.normalizeAxis("reduce", a, x.dim())] = 1;
            }
        }
        return Shape.of(kept);
    }

    /** The gradient of a reduction output, reshaped to the kept shape and broadcast to x's shape. */
    static Variable spread(Variable g, Variable x, int[] axes) {
        return g.reshape(keptShape(x, axes).toArray()).broadcastTo(x.shape());
    }

    static Variable sum(Variable x, int[] axes, boolean keepDim) {
        Tensor value = axes == null ? sumAll(x.value(), keepDim) : x.value().sum(axes, keepDim);
        return node("sum", value, x).backward((out, g, needs) -> new Variable[] {spread(g, x, axes)});
    }

    private static Tensor sumAll(Tensor x, boolean keepDim) {
        Tensor s = x.sum();
        return keepDim ? s.reshape(keptAll(x.dim())) : s;
    }

    private static int[] keptAll(int rank) {
        int[] ones = new int[rank];
        java.util.Arrays.fill(ones, 1);
        return ones;
    }

    /** The axes as given, or every axis of x when null (for the tensor operations, which take no null). */
    private static int[] axesOrAll(Variable x, int[] axes) {
        if (axes != null) {
            return axes;
        }
        int[] all = new int[x.dim()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    /** The number of elements that each output of a reduction of x over axes combines. */
    private static int reducedCount(Variable x, int[] axes) {
        if (x.dim() == 0) {
            return 1;
        }
        int n = 1;
        for (int a : axesOrAll(x, axes)) {
            n *= x.size(Shape.normalizeAxis("reduce", a, x.dim()));
        }
        return n;
    }

    static Variable mean(Variable x, int[] axes, boolean keepDim) {
        int count = x.numel() / Math.max(keptShape(x, axes).numel(), 1);
        return sum(x, axes, keepDim).div(count);
    }

    // ------------------------------------------------------------------ prod

    /**
     * The product. Where x has no zero the gradient is {@code prod / x}, as in PyTorch; otherwise it is the
     * product of the other elements of each slice, computed without division (exclusive prefix and suffix
     * products), which is exact for any number of zeros and differentiable again.
     */
    static Variable prod(Variable x, int[] axes, boolean keepDim) {
        int[] all = axesOrAll(x, axes);
        Tensor value = x.value().prod(all, keepDim);
        return node("prod", value, x).saving(x).savingOutput().backward((out, g, needs) -> {
            Variable gx = spread(g, x, axes);
            if (x.value().eq(0).sum().item() == 0) {
                return one(gx.mul(spread(out, x, axes)).div(x));
            }
            return one(gx.mul(productOfOthers(x, all)));
        });
    }

    /** For each element of x, the product of the other elements of its slice over {@code axes}. */
    private static Variable productOfOthers(Variable x, int[] axes) {
        int rank = x.dim();
        if (rank == 0 || x.numel() == 0) {
            // a scalar's slice holds only itself: the empty product; an empty x has nothing to fill
            return Variable.constant(rank == 0 ? x.value().onesLike() : x.value().zerosLike());
        }
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            reduced[Shape.normalizeAxis("prod", a, rank)] = true;
        }
        // kept axes first, then reduced ones, so that each slice is one row of a [rows, n] matrix
        int[] order = new int[rank];
        int next = 0;
        int n = 1;
        for (int d = 0; d < rank; d++) {
            if (!reduced[d]) {
                order[next++] = d;
            }
        }
        for (int d = 0; d < rank; d++) {
            if (reduced[d]) {
                order[next++] = d;
                n *= x.size(d);
            }
        }
        int[] inverse = new int[rank];
        int[] permutedShape = new int[rank];
        for (int i = 0; i < rank; i++) {
            inverse[order[i]] = i;
            permutedShape[i] = x.size(order[i]);
        }
        Variable rows = x.permute(order).reshape(x.numel() / n, n);
        return exclusiveProducts(rows).reshape(permutedShape).permute(inverse);
    }

    /**
     * {@code r[.., i] = prod_{j != i} y[.., j]} along the last axis, as (product of y[.., j < i]) times
     * (product of y[.., j > i]); both are inclusive scans of the shifted rows by doubling (Hillis and
     * Steele), in log2(n) multiplications of shifted copies. Only multiplications and padding: zeros are exact.
     */
    private static Variable exclusiveProducts(Variable y) {
        int n = y.size(-1);
        Variable before = shift(y, 1);
        Variable after = shift(y, -1);
        for (int s = 1; s < n; s *= 2) {
            before = before.mul(shift(before, s));
            after = after.mul(shift(after, -s));
        }
        return before.mul(after);
    }

    /** y moved by {@code s} along the last axis (towards higher indices when positive), filled with ones. */
    private static Variable shift(Variable y, int s) {
        return y.pad(new int[] {s, -s}, 1);
    }

    // ------------------------------------------------------------------ extremes

    /** The largest elements over axes (torch.amax, or torch.max of all when null); ties share the gradient. */
    static Variable amax(Variable x, int[] axes, boolean keepDim) {
        Tensor value = axes == null ? keepAll(x.value().max(), x, keepDim) : x.value().amax(axes, keepDim);
        return extreme("amax", x, axes, value);
    }

    /** The smallest elements over axes (torch.amin, or torch.min of all when null); ties share the gradient. */
    static Variable amin(Variable x, int[] axes, boolean keepDim) {
        Tensor value = axes == null ? keepAll(x.value().min(), x, keepDim) : x.value().amin(axes, keepDim);
        return extreme("amin", x, axes, value);
    }

    private static Tensor keepAll(Tensor all, Variable x, boolean keepDim) {
        return keepDim ? all.reshape(keptAll(x.dim())) : all;
    }

    /** The gradient of amax/amin: split equally among the elements equal to the result (NaN matches NaN). */
    private static Variable extreme(String op, Variable x, int[] axes, Tensor value) {
        return node(op, value, x).saving(x).savingOutput().backward((out, g, needs) -> {
            Tensor share = tieShares(x.value(), out.value().reshape(keptShape(x, axes).toArray()), axes);
            return one(spread(g, x, axes).mul(Variable.constant(share)));
        });
    }

    /**
     * 1 / (number of ties) where {@code candidates} equals the kept-shape {@code extreme} of its slice (or
     * both are NaN), 0 elsewhere.
     */
    private static Tensor tieShares(Tensor candidates, Tensor extreme, int[] axes) {
        Tensor hit = candidates.eq(extreme).logicalOr(candidates.ne(candidates).logicalAnd(extreme.ne(extreme)));
        Tensor mask = hit.cast(candidates.dtype());
        Tensor count = axes == null ? mask.sum().reshape(keptAll(mask.dim())) : mask.sum(axes, true);
        return mask.div(count);
    }

    /** torch.max(x, axis): the values (differentiable) and their INT64 indices (first on ties, as the tensor op). */
    static Variable.ValuesAndIndices max(Variable x, int axis, boolean keepDim) {
        Tensor.ValuesAndIndices r = x.value().max(axis, keepDim);
        return new Variable.ValuesAndIndices(selected("max", x, axis, keepDim, r), r.indices());
    }

    /** torch.min(x, axis): the values (differentiable) and their INT64 indices. */
    static Variable.ValuesAndIndices min(Variable x, int axis, boolean keepDim) {
        Tensor.ValuesAndIndices r = x.value().min(axis, keepDim);
        return new Variable.ValuesAndIndices(selected("min", x, axis, keepDim, r), r.indices());
    }

    /**
     * The values of a max/min along an axis; the gradient goes to the returned index only (a one-hot mask
     * of the indices along the axis, as PyTorch's scatter into zeros), so ties do not share it.
     */
    private static Variable selected(String op, Variable x, int axis, boolean keepDim, Tensor.ValuesAndIndices r) {
        Tensor indices = r.indices();
        int[] axes = {axis};
        return node(op, r.values(), x).backward((out, g, needs) -> {
            if (x.dim() == 0) {
                return one(g);
            }
            int a = Shape.normalizeAxis(op, axis, x.dim());
            Tensor kept = keepDim ? indices : indices.unsqueeze(a);
            int[] positions = keptAll(x.dim());
            positions[a] = x.size(a);
            Tensor along = Tensor.arange(x.size(a)).reshape(positions).to(indices.device());
            Tensor chosen = along.eq(kept).cast(x.dtype());
            return one(spread(g, x, axes).mul(Variable.constant(chosen)));
        });
    }

    // ------------------------------------------------------------------ moments

    /** The variance, dividing by {@code n - correction}; the gradient is {@code 2 (x - mean) / (n - correction)}. */
    static Variable var(Variable x, int[] axes, int correction, boolean keepDim) {
        Tensor value = x.value().var(axesOrAll(x, axes), correction, keepDim);
        double scale = 2.0 / Math.max(reducedCount(x, axes) - correction, 0);
        return node("var", value, x).saving(x)
                .backward((out, g, needs) -> one(spread(g, x, axes).mul(centered(x, axes)).mul(scale)));
    }

    /**
     * The standard deviation; the gradient is {@code (x - mean) / ((n - correction) std)}, and 0 where the
     * standard deviation is 0, as PyTorch.
     */
    static Variable std(Variable x, int[] axes, int correction, boolean keepDim) {
        Tensor value = x.value().std(axesOrAll(x, axes), correction, keepDim);
        double scale = 1.0 / Math.max(reducedCount(x, axes) - correction, 0);
        return node("std", value, x).saving(x).savingOutput().backward((out, g, needs) -> {
            Variable perStd = divideOrZero(g, out);
            return one(spread(perStd, x, axes).mul(centered(x, axes)).mul(scale));
        });
    }

    private static Variable centered(Variable x, int[] axes) {
        return x.sub(mean(x, axes, true));
    }

    /** {@code g / d}, and 0 where d is 0, without any infinity in between (so also in second derivatives). */
    private static Variable divideOrZero(Variable g, Variable d) {
        Tensor zero = d.value().eq(0);
        return g.div(d.maskedFill(zero, 1)).maskedFill(zero, 0);
    }

    // ------------------------------------------------------------------ norms

    /**
     * The p-norm over axes for p = 1, 2, infinity or any other positive p. Gradients as PyTorch's
     * {@code linalg.vector_norm}: {@code sign(x)} for p = 1; {@code x / norm} for p = 2, 0 where the norm
     * is 0; for infinity, {@code sign(x)} split equally among the elements of largest magnitude; otherwise
     * {@code sign(x) |x|^(p-1) / norm^(p-1)}, 0 where the norm is 0.
     */
    static Variable norm(Variable x, double p, int[] axes, boolean keepDim) {
        Tensor value = x.value().norm(p, axesOrAll(x, axes), keepDim);
        if (p == 1) {
            return node("norm", value, x).saving(x).backward((out, g, needs) ->
                    one(spread(g, x, axes).mul(Variable.constant(x.value().sign()))));
        }
        Ops.Recorder recorder = node("norm", value, x).saving(x).savingOutput();
        if (p == 2) {
            return recorder.backward((out, g, needs) -> one(spread(divideOrZero(g, out), x, axes).mul(x)));
        }
        if (p == Double.POSITIVE_INFINITY) {
            return recorder.backward((out, g, needs) -> {
                Tensor magnitude = x.value().abs();
                Tensor share = tieShares(magnitude, out.value().reshape(keptShape(x, axes).toArray()), axes);
                return one(spread(g, x, axes).mul(Variable.constant(share.mul(x.value().sign()))));
            });
        }
        return recorder.backward((out, g, needs) -> {
            Tensor zero = out.value().eq(0);
            Variable scaled = g.div(out.maskedFill(zero, 1).pow(p - 1)).maskedFill(zero, 0);
            // |x| is made 1 where x is 0 (the sign zeroes those) so that p < 1 brings no infinity
            Variable magnitude = x.abs().maskedFill(x.value().eq(0), 1).pow(p - 1);
            return one(spread(scaled, x, axes).mul(magnitude).mul(Variable.constant(x.value().sign())));
        });
    }

    // ------------------------------------------------------------------ exponentials

    /** log(sum(exp(x))); the gradient is the softmax {@code exp(x - result)}, which cannot overflow. */
    static Variable logsumexp(Variable x, int[] axes, boolean keepDim) {
        Tensor value = x.value().logsumexp(axesOrAll(x, axes), keepDim);
        return node("logsumexp", value, x).saving(x).savingOutput()
                .backward((out, g, needs) -> one(spread(g, x, axes).mul(x.sub(spread(out, x, axes)).exp())));
    }

    /** Inclusive prefix sums; the gradient is the reverse prefix sum {@code S - cumsum(g) + g}, S the total. */
    static Variable cumsum(Variable x, int axis) {
        return node("cumsum", x.value().cumsum(axis), x)
                .backward((out, g, needs) -> one(g.sum(new int[] {axis}, true).sub(g.cumsum(axis)).add(g)));
    }

    /**
     * softmax(x); the gradient is {@code y (g - sum(g y))} with y the output: one fused kernel in a
     * first-order pass, differentiable operations when the gradient must itself be differentiable.
     */
    static Variable softmax(Variable x, int axis) {
        return node("softmax", x.value().softmax(axis), x).savingOutput().backward((out, g, needs) -> {
            if (!GradMode.isEnabled()) {
                return one(Variable.constant(ActivationGrads.softmax(g.value(), out.value(), axis)));
            }
            return one(out.mul(g.sub(g.mul(out).sum(new int[] {axis}, true))));
        });
    }

    /**
     * The causal softmax of attention scores, {@link Tensor#causalSoftmax}; the gradient is
     * {@code y (g - sum(g y)) scale} with y the output (0 at the masked positions, so the sum covers the
     * visible ones): one fused kernel in a first-order pass, differentiable operations when the gradient
     * must itself be differentiable (those read g at the masked positions too, where y is 0: with a finite g
     * the two agree).
     */
    static Variable causalSoftmax(Variable x, double scale) {
        return node("causalSoftmax", x.value().causalSoftmax(scale), x).savingOutput().backward((out, g, needs) -> {
            if (!GradMode.isEnabled()) {
                // a gradient this rule alone holds (Engine) takes the result in its own memory when it can
                return one(Variable.exclusive(g.isExclusive()
                        ? ActivationGrads.causalSoftmaxIntoGrad(g.value(), out.value(), scale)
                        : ActivationGrads.causalSoftmax(g.value(), out.value(), scale)));
            }
            return one(out.mul(g.sub(g.mul(out).sum(new int[] {-1}, true))).mul(scale));
        });
    }

    /** log(softmax(x)); the gradient is {@code g - exp(y) sum(g)} with y the output, fused as softmax's. */
    static Variable logSoftmax(Variable x, int axis) {
        return node("logSoftmax", x.value().logSoftmax(axis), x).savingOutput().backward((out, g, needs) -> {
            if (!GradMode.isEnabled()) {
                // a gradient this rule alone holds (Engine) takes the result in its own memory when it can
                return one(Variable.exclusive(g.isExclusive()
                        ? ActivationGrads.logSoftmaxIntoGrad(g.value(), out.value(), axis)
                        : ActivationGrads.logSoftmax(g.value(), out.value(), axis)));
            }
            return one(g.sub(out.exp().mul(g.sum(new int[] {axis}, true))));
        });
    }
}
