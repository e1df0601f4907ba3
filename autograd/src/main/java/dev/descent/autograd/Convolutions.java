package dev.descent.autograd;

import dev.descent.tensor.ConvSpec;
import dev.descent.tensor.Convolution;
import dev.descent.tensor.PoolSpec;
import dev.descent.tensor.Pooling;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;

import static dev.descent.autograd.Ops.node;

/**
 * Differentiable convolution and pooling, with backward kernels that are differentiable in turn.
 *
 * <p>A convolution {@code y = conv(x, w)} is bilinear, and so are its two backward kernels,
 * {@code inputGrad(gy, w)} (the adjoint of {@code x -> conv(x, w)} applied to gy) and
 * {@code weightGrad(x, gy)} (the adjoint of {@code w -> conv(x, w)} applied to gy). From
 * {@code <conv(x, w), gy> = <x, inputGrad(gy, w)> = <w, weightGrad(x, gy)>}, each of the three is the
 * other two's adjoint in one argument:
 * <ul>
 *   <li>{@code conv(x, w)}: to x {@code inputGrad(g, w)}, to w {@code weightGrad(x, g)};</li>
 *   <li>{@code inputGrad(gy, w)}: to gy {@code conv(g, w)}, to w {@code weightGrad(g, gy)};</li>
 *   <li>{@code weightGrad(x, gy)}: to x {@code inputGrad(gy, g)}, to gy {@code conv(x, g)}.</li>
 * </ul>
 * So the three primitives close under differentiation and gradients of any order exist. Pooling is linear
 * in the input once the positions of the maxima are fixed: max pooling's backward routes the gradient to
 * those positions and its adjoint gathers from them; average pooling's backward is the transpose of
 * average pooling, whose adjoint is average pooling again.
 */
final class Convolutions {
    private Convolutions() {
    }

    private static Variable[] one(Variable g) {
        return new Variable[] {g};
    }

    // ------------------------------------------------------------------ convolution

    /** The geometry of one convolution and the tensor kernels for its rank. */
    private interface ConvGeometry {
        /** The operation's name, which prefixes the names of its backward kernels. */
        String name();

        Tensor forward(Tensor x, Tensor w);

        Tensor inputGrad(Tensor gy, Tensor w, Shape inputShape);

        Tensor weightGrad(Tensor x, Tensor gy, Shape weightShape);
    }

    private record Conv1d(int stride, int padding, int dilation, int groups) implements ConvGeometry {
        @Override
        public String name() {
            return "conv1d";
        }

        @Override
        public Tensor forward(Tensor x, Tensor w) {
            return Convolution.conv1d(x, w, stride, padding, dilation, groups);
        }

        @Override
        public Tensor inputGrad(Tensor gy, Tensor w, Shape inputShape) {
            return Convolution.conv1dInputGrad(gy, w, inputShape, stride, padding, dilation, groups);
        }

        @Override
        public Tensor weightGrad(Tensor x, Tensor gy, Shape weightShape) {
            return Convolution.conv1dWeightGrad(x, gy, weightShape, stride, padding, dilation, groups);
        }
    }

    private record Conv2d(ConvSpec spec) implements ConvGeometry {
        @Override
        public String name() {
            return "conv2d";
        }

        @Override
        public Tensor forward(Tensor x, Tensor w) {
            return Convolution.conv2d(x, w, spec);
        }

        @Override
        public Tensor inputGrad(Tensor gy, Tensor w, Shape inputShape) {
            return Convolution.conv2dInputGrad(gy, w, inputShape, spec);
        }

        @Override
        public Tensor weightGrad(Tensor x, Tensor gy, Shape weightShape) {
            return Convolution.conv2dWeightGrad(x, gy, weightShape, spec);
        }
    }

    static Variable conv1d(Variable x, Variable w, int stride, int padding, int dilation, int groups) {
        return conv(x, w, new Conv1d(stride, padding, dilation, groups));
    }

    static Variable conv2d(Variable x, Variable w, ConvSpec spec) {
        return conv(x, w, new Conv2d(spec));
    }

    /**
     * conv2d plus a per-channel bias b [O], the bias added as the output is written; its gradient is the sum
     * of G over every axis but the channels, the others those of {@link #conv2d(Variable, Variable, ConvSpec)}.
     */
    static Variable conv2d(Variable x, Variable w, Variable b, ConvSpec spec) {
        ConvGeometry k = new Conv2d(spec);
        Tensor value = Convolution.conv2d(x.value(), w.value(), b.value(), spec);
        return node("conv2d", value, x, w, b).saving(x, w).backward((out, g, needs) -> new Variable[] {
            needs[0] ? inputGrad(g, w, x.shape(), k) : null,
            needs[1] ? weightGrad(x, g, w.shape(), k) : null,
            needs[2] ? g.sum(new int[] {0, 2, 3}, false) : null});
    }

    private static Variable conv(Variable x, Variable w, ConvGeometry k) {
        return node(k.name(), k.forward(x.value(), w.value()), x, w).saving(x, w).backward((out, g, needs) ->
                new Variable[] {
                    needs[0] ? inputGrad(g, w, x.shape(), k) : null,
                    needs[1] ? weightGrad(x, g, w.shape(), k) : null});
    }

    /** The gradient of {@code <conv(x, w), gy>} with respect to x, for x of {@code inputShape}. */
    private static Variable inputGrad(Variable gy, Variable w, Shape inputShape, ConvGeometry k) {
        Tensor value = k.inputGrad(gy.value(), w.value(), inputShape);
        return node(k.name() + "InputGrad", value, gy, w).saving(gy, w).backward((out, g, needs) ->
                new Variable[] {
                    needs[0] ? conv(g, w, k) : null,
                    needs[1] ? weightGrad(g, gy, w.shape(), k) : null});
    }

    /** The gradient of {@code <conv(x, w), gy>} with respect to w, for w of {@code weightShape}. */
    private static Variable weightGrad(Variable x, Variable gy, Shape weightShape, ConvGeometry k) {
        Tensor value = k.weightGrad(x.value(), gy.value(), weightShape);
        return node(k.name() + "WeightGrad", value, x, gy).saving(x, gy).backward((out, g, needs) ->
                new Variable[] {
                    needs[0] ? inputGrad(gy, g, x.shape(), k) : null,
                    needs[1] ? conv(x, g, k) : null});
    }

    // ------------------------------------------------------------------ pooling

    /** The geometry of one pooling and the tensor kernels for its rank. */
    private interface PoolGeometry {
        /** "1d" or "2d", appended to the operation's name. */
        String rank();

        Tensor.ValuesAndIndices max(Tensor x);

        Tensor maxBackward(Tensor gy, Tensor indices, Shape inputShape);

        Tensor avg(Tensor x);

        Tensor avgBackward(Tensor gy, Shape inputShape);
    }

    private record Pool1d(int kernel, int stride, int padding, boolean countIncludePad) implements PoolGeometry {
        @Override
        public String rank() {
            return "1d";
        }

        @Override
        public Tensor.ValuesAndIndices max(Tensor x) {
            return Pooling.maxPool1d(x, kernel, stride, padding);
        }

        @Override
        public Tensor maxBackward(Tensor gy, Tensor indices, Shape inputShape) {
            return Pooling.maxPool1dBackward(gy, indices, inputShape, kernel, stride, padding);
        }

        @Override
        public Tensor avg(Tensor x) {
            return Pooling.avgPool1d(x, kernel, stride, padding, countIncludePad);
        }

        @Override
        public Tensor avgBackward(Tensor gy, Shape inputShape) {
            return Pooling.avgPool1dBackward(gy, inputShape, kernel, stride, padding, countIncludePad);
        }
    }

    private record Pool2d(PoolSpec spec) implements PoolGeometry {
        @Override
        public String rank() {
            return "2d";
        }

        @Override
        public Tensor.ValuesAndIndices max(Tensor x) {
            return Pooling.maxPool2d(x, spec);
        }

        @Override
        public Tensor maxBackward(Tensor gy, Tensor indices, Shape inputShape) {
            return Pooling.maxPool2dBackward(gy, indices, inputShape, spec);
        }

        @Override
        public Tensor avg(Tensor x) {
            return Pooling.avgPool2d(x, spec);
        }

        @Override
        public Tensor avgBackward(Tensor gy, Shape inputShape) {
            return Pooling.avgPool2dBackward(gy, inputShape, spec);
        }
    }

    static Variable maxPool1d(Variable x, int kernel, int stride, int padding) {
        // countIncludePad means nothing to max pooling
        return maxPool(x, new Pool1d(kernel, stride, padding, true));
    }

    static Variable maxPool2d(Variable x, PoolSpec spec) {
        return maxPool(x, new Pool2d(spec));
    }

    static Variable avgPool1d(Variable x, int kernel, int stride, int padding, boolean countIncludePad) {
        return avgPool(x, new Pool1d(kernel, stride, padding, countIncludePad));
    }

    static Variable avgPool2d(Variable x, PoolSpec spec) {
        return avgPool(x, new Pool2d(spec));
    }

    /**
     * Each window's maximum; the gradient goes to the position of that maximum (the first one at ties, as
     * the forward kernel chose it), and a position that is the maximum of several windows gets their sum.
     */
    private static Variable maxPool(Variable x, PoolGeometry k) {
        Tensor.ValuesAndIndices r = k.max(x.value());
        Tensor indices = r.indices();
        Shape inputShape = x.shape();
        // outside a recorded pass, the scattered gradient is a fresh array only this rule holds: marked so (Engine),
        // a following rule (ReLU's) may write over it instead of allocating
        return node("maxPool" + k.rank(), r.values(), x).backward((out, g, needs) -> one(GradMode.isEnabled()
                ? maxPoolBackward(g, indices, inputShape, k)
                : Variable.exclusive(k.maxBackward(g.value(), indices, inputShape))));
    }

    /** Routes {@code gy} to the positions {@code indices} name, in zeros of {@code inputShape}: linear in gy. */
    private static Variable maxPoolBackward(Variable gy, Tensor indices, Shape inputShape, PoolGeometry k) {
        Tensor value = k.maxBackward(gy.value(), indices, inputShape);
        return node("maxPool" + k.rank() + "Backward", value, gy)
                .backward((out, g, needs) -> one(atPositions(g, indices)));
    }

    /**
     * The adjoint of {@link #maxPoolBackward}: the elements of g (of the input's shape) at the flat in-plane
     * positions {@code indices} (of the output's shape). A gather, so differentiable again: its backward is
     * a scatter-add, which is {@link #maxPoolBackward} once more.
     */
    private static Variable atPositions(Variable g, Tensor indices) {
        int n = g.size(0);
        int c = g.size(1);
        int plane = 1;
        for (int d = 2; d < g.dim(); d++) {
            plane *= g.size(d);
        }
        int outPlane = 1;
        for (int d = 2; d < indices.dim(); d++) {
            outPlane *= indices.size(d);
        }
        Variable picked = g.reshape(n, c, plane).gather(2, indices.reshape(n, c, outPlane));
        return picked.reshape(indices.shape().toArray());
    }

    private static Variable avgPool(Variable x, PoolGeometry k) {
        Shape inputShape = x.shape();
        return node("avgPool" + k.rank(), k.avg(x.value()), x)
                .backward((out, g, needs) -> one(avgPoolBackward(g, inputShape, k)));
    }

    /** The transpose of average pooling (every divisor depends only on its window), so its adjoint is avgPool. */
    private static Variable avgPoolBackward(Variable gy, Shape inputShape, PoolGeometry k) {
        return node("avgPool" + k.rank() + "Backward", k.avgBackward(gy.value(), inputShape), gy)
                .backward((out, g, needs) -> one(avgPool(g, k)));
    }
}
