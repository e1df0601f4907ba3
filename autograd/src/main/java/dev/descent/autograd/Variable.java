package dev.descent.autograd;

import dev.descent.tensor.ConvSpec;
import dev.descent.tensor.DType;
import dev.descent.tensor.PoolSpec;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A differentiable value: a {@link Tensor}, whether it requires a gradient, its accumulated gradient
 * ({@code .grad}, leaves only) and the graph node that produced it. Every differentiable {@code Tensor}
 * operation exists here with the same name and semantics; when grad mode is on and an input requires a
 * gradient, the operation is recorded with its backward rule, itself written in {@code Variable}
 * operations so that gradients can be differentiated again.
 *
 * <pre>{@code
 * Variable x = Variable.parameter(Tensor.of(1.0, 2.0, 3.0));
 * Variable y = x.exp().mul(x).sum();
 * y.backward();                 // x.grad() = (1 + x) e^x
 * }</pre>
 *
 * <p>Values are never changed in place through this type; change {@link #value()} in place (in a
 * no-grad scope, as optimizers do) and the engine reports any backward that needed the old value.
 */
public final class Variable {
    private Tensor value;
    private final Node node;
    private boolean requiresGrad;
    private Tensor grad;
    private List<UnaryOperator<Variable>> hooks;
    private List<Consumer<Variable>> postAccumulateHooks;
    /** Set on a gradient a rule has just made, held by nothing else, until the backward pass hands it on. */
    private boolean exclusive;

    private Variable(Tensor value, Node node, boolean requiresGrad) {
        this.value = value;
        this.node = node;
        this.requiresGrad = requiresGrad;
    }

    // ------------------------------------------------------------------ making values

    /** A value that requires no gradient (data, targets, masks); no copy. */
    public static Variable constant(Tensor value) {
        return new Variable(value, null, false);
    }

    /**
     * A constant whose tensor a backward rule has just made and that nothing else holds (not a view of
     * anything), so that a first-order backward pass may add other terms into it, or adopt it as a leaf's
     * {@code .grad}, without a copy ({@link Engine}).
     */
    static Variable exclusive(Tensor fresh) {
        Variable v = constant(fresh);
        v.exclusive = true;
        return v;
    }

    /** Whether this is an {@link #exclusive} gradient (see {@link Engine}), without clearing the mark. */
    boolean isExclusive() {
        return exclusive;
    }

    /** Marks this gradient exclusive again for the one rule it is handed to ({@link Engine}). */
    void markExclusive() {
        exclusive = true;
    }

    /** Whether hooks would see this variable's gradient. */
    boolean hasHooks() {
        return (hooks != null && !hooks.isEmpty()) || (postAccumulateHooks != null && !postAccumulateHooks.isEmpty());
    }

    /** Whether this is an {@link #exclusive} gradient not yet handed on; clears the mark. */
    boolean takeExclusive() {
        boolean was = exclusive;
        exclusive = false;
        return was;
    }

    /** A leaf that requires a gradient (a parameter); no copy. FLOAT32 or FLOAT64 only. */
    public static Variable parameter(Tensor value) {
        return constant(value).requiresGrad(true);
    }

    static Variable withNode(Tensor value, Node node) {
        return new Variable(value, node, true);
    }

    // ------------------------------------------------------------------ graph state

    /** The tensor this value holds (shared, not copied). */
    public Tensor value() {
        return value;
    }

    /**
     * Replaces the tensor of a leaf (PyTorch's {@code p.data = t}), e.g. to move a parameter to another
     * dtype; a graph recorded with the old tensor keeps it. The accumulated gradient is dropped when its
     * shape or dtype no longer matches.
     */
    public void setValue(Tensor newValue) {
        if (node != null) {
            throw new IllegalStateException("setValue: only leaves can be given a new tensor; this value is the"
                    + " output of '" + node.op + "'");
        }
        if (requiresGrad && !newValue.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("setValue: a value that requires a gradient must be FLOAT32 or"
                    + " FLOAT64, got " + newValue.dtype() + " (shape " + newValue.shape() + ")");
        }
        this.value = newValue;
        if (grad != null && (!grad.shape().equals(newValue.shape()) || grad.dtype() != newValue.dtype())) {
            grad = null;
        }
    }

    public Shape shape() {
        return value.shape();
    }

    public int dim() {
        return value.dim();
    }

    public int size(int axis) {
        return value.size(axis);
    }

    public int numel() {
        return value.numel();
    }

    public DType dtype() {
        return value.dtype();
    }

    /** The single element as a double. */
    public double item() {
        return value.item();
    }

    /** Whether gradients flow to this value: a leaf marked so, or the output of a recorded operation. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks a leaf as requiring a gradient or not; returns this. Only leaves can be changed, and only
     * floating-point values can require a gradient.
     */
    public Variable requiresGrad(boolean requires) {
        if (node != null) {
            throw new IllegalStateException("requiresGrad: only leaves can be changed; this value is the output of '"
                    + node.op + "' (use detach() for a leaf that shares its tensor)");
        }
        if (requires && !value.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("requiresGrad: only FLOAT32 and FLOAT64 values can require a gradient,"
                    + " got " + value.dtype() + " (shape " + value.shape() + ")");
        }
        this.requiresGrad = requires;
        return this;
    }

    /** True when no recorded operation produced this value. */
    public boolean isLeaf() {
        return node == null;
    }

    /** The name of the operation that produced this value, or null for a leaf. */
    public @Nullable String opName() {
        return node == null ? null : node.op;
    }

    Node node() {
        return node;
    }

    /** The gradient accumulated by {@link #backward()} (leaves only), or null if none yet. */
    public @Nullable Tensor grad() {
        return grad;
    }

    /** Replaces the accumulated gradient (null clears it); its shape and dtype must match the value's. */
    public void setGrad(Tensor g) {
        if (g != null && (!g.shape().equals(value.shape()) || g.dtype() != value.dtype())) {
            throw new IllegalArgumentException("setGrad: gradient of shape " + g.shape() + " (" + g.dtype()
                    + ") for a value of shape " + value.shape() + " (" + value.dtype() + ")");
        }
        this.grad = g;
    }

    /** Clears the accumulated gradient (sets it to null, as PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        this.grad = null;
    }

    /** A leaf sharing this value's tensor, cut from the graph, requiring no gradient. */
    public Variable detach() {
        return constant(value);
    }

    // ------------------------------------------------------------------ backward

    /** Backward from this single-element value; accumulates into the leaves' {@code .grad}; frees the graph. */
    public void backward() {
        backward(null, false);
    }

    /** Backward with an explicit gradient of this value (required unless it has one element). */
    public void backward(Tensor gradOutput) {
        backward(gradOutput, false);
    }

    /** As {@link #backward(Tensor)}; with {@code retainGraph} the graph is kept for another backward. */
    public void backward(Tensor gradOutput, boolean retainGraph) {
        List<Tensor> seeds = new ArrayList<>(1);
        seeds.add(gradOutput);
        List<Variable> outs = List.of(this);
        Engine.run(outs, Autograd.seeds("backward", outs, seeds), null, retainGraph, false);
    }

    /**
     * Registers a hook on this value's gradient: called with the summed gradient when backward (or
     * {@code grad}) computes it; a non-null return replaces the gradient from then on.
     */
    public HookHandle registerHook(UnaryOperator<Variable> hook) {
        if (!requiresGrad) {
            throw new IllegalStateException("registerHook: this value (shape " + value.shape() + ") does not require"
                    + " a gradient, so the hook would never run");
        }
        if (hooks == null) {
            hooks = new ArrayList<>(1);
        }
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** Registers a hook that runs after backward has accumulated into this leaf's {@code .grad}. */
    public HookHandle registerPostAccumulateGradHook(Consumer<Variable> hook) {
        if (node != null || !requiresGrad) {
            throw new IllegalStateException("registerPostAccumulateGradHook: only leaves that require a gradient"
                    + " accumulate one");
        }
        if (postAccumulateHooks == null) {
            postAccumulateHooks = new ArrayList<>(1);
        }
        postAccumulateHooks.add(hook);
        return () -> postAccumulateHooks.remove(hook);
    }

    Variable runHooks(Variable g) {
        if (hooks != null) {
            for (UnaryOperator<Variable> h : List.copyOf(hooks)) {
                Variable replaced = h.apply(g);
                if (replaced != null) {
                    if (!replaced.shape().equals(g.shape()) || replaced.dtype() != g.dtype()) {
                        throw new IllegalStateException("gradient hook: returned shape " + replaced.shape() + " ("
                                + replaced.dtype() + ") for a gradient of shape " + g.shape() + " (" + g.dtype() + ")");
                    }
                    g = replaced;
                }
            }
        }
        return g;
    }

    void accumulateGrad(Tensor g) {
        accumulateGrad(g, false);
    }

    /**
     * As {@link #accumulateGrad(Tensor)}; {@code adopt} says that g was made by the backward pass and is held by
     * nothing else, so that it can become {@code .grad} without a copy (when this leaf has no hooks to see it).
     */
    void accumulateGrad(Tensor g, boolean adopt) {
        // otherwise a copy: the gradient may be a view of another tensor, and optimizers update .grad in place
        grad = grad == null ? (adopt && !hasHooks() ? g : g.clone()) : grad.add_(g);
        if (postAccumulateHooks != null) {
            for (Consumer<Variable> h : List.copyOf(postAccumulateHooks)) {
                h.accept(this);
            }
        }
    }

    // ------------------------------------------------------------------ views and joining

    public Variable reshape(int... newShape) {
        return Shapes.reshape(this, newShape);
    }

    public Variable view(int... newShape) {
        return Shapes.view(this, newShape);
    }

    public Variable permute(int... order) {
        return Shapes.permute(this, order);
    }

    public Variable transpose(int a, int b) {
        return Shapes.transpose(this, a, b);
    }

    /** The transpose of a matrix (rank 2 or less). */
    public Variable t() {
        return Shapes.t(this);
    }

    public Variable narrow(int axis, int start, int length) {
        return Shapes.narrow(this, axis, start, length);
    }

    public Variable slice(int axis, int start, int end, int step) {
        return Shapes.slice(this, axis, start, end, step);
    }

    public Variable select(int axis, int index) {
        return Shapes.select(this, axis, index);
    }

    /** Selects along the leading axes ({@code x.get(0, 1)} is {@code x[0, 1]}). */
    public Variable get(int... indices) {
        return Shapes.get(this, indices);
    }

    public Variable expand(int... newShape) {
        return Shapes.expand(this, newShape);
    }

    public Variable broadcastTo(Shape target) {
        return Ops.broadcastTo(this, target);
    }

    public Variable squeeze() {
        return Shapes.squeeze(this);
    }

    public Variable squeeze(int axis) {
        return Shapes.squeeze(this, axis);
    }

    public Variable unsqueeze(int axis) {
        return Shapes.unsqueeze(this, axis);
    }

    public Variable flatten() {
        return Shapes.flatten(this, 0, -1);
    }

    public Variable flatten(int startAxis, int endAxis) {
        return Shapes.flatten(this, startAxis, endAxis);
    }

    public Variable contiguous() {
        return Shapes.contiguous(this);
    }

    /** A copy with its own storage; gradients flow through it. */
    @Override
    public Variable clone() {
        return Shapes.copy(this);
    }

    /** The value in another dtype; between floating-point dtypes the gradient is cast back. */
    public Variable cast(DType target) {
        return Shapes.cast(this, target);
    }

    public static Variable cat(int axis, Variable... values) {
        return Shapes.cat(List.of(values), axis);
    }

    public static Variable cat(List<Variable> values, int axis) {
        return Shapes.cat(values, axis);
    }

    public static Variable stack(int axis, Variable... values) {
        return Shapes.stack(List.of(values), axis);
    }

    public static Variable stack(List<Variable> values, int axis) {
        return Shapes.stack(values, axis);
    }

    public List<Variable> split(int size, int axis) {
        return Shapes.split(this, size, axis);
    }

    public List<Variable> split(int[] sizes, int axis) {
        return Shapes.split(this, sizes, axis);
    }

    public List<Variable> chunk(int chunks, int axis) {
        return Shapes.chunk(this, chunks, axis);
    }

    /** Constant padding; {@code padding} pairs (before, after) from the last axis backwards, as torch.nn.functional.pad. */
    public Variable pad(int[] padding, double value) {
        return Shapes.pad(this, padding, value);
    }

    // ------------------------------------------------------------------ elementwise

    public Variable neg() {
        return Pointwise.neg(this);
    }

    public Variable abs() {
        return Pointwise.abs(this);
    }

    /** The sign; its gradient is zero. */
    public Variable sign() {
        return Pointwise.sign(this);
    }

    public Variable exp() {
        return Pointwise.exp(this);
    }

    public Variable log() {
        return Pointwise.log(this);
    }

    public Variable log1p() {
        return Pointwise.log1p(this);
    }

    public Variable expm1() {
        return Pointwise.expm1(this);
    }

    public Variable sqrt() {
        return Pointwise.sqrt(this);
    }

    public Variable rsqrt() {
        return Pointwise.rsqrt(this);
    }

    public Variable square() {
        return Pointwise.square(this);
    }

    public Variable reciprocal() {
        return Pointwise.reciprocal(this);
    }

    public Variable sin() {
        return Pointwise.sin(this);
    }

    public Variable cos() {
        return Pointwise.cos(this);
    }

    public Variable tanh() {
        return Pointwise.tanh(this);
    }

    public Variable sigmoid() {
        return Pointwise.sigmoid(this);
    }

    public Variable relu() {
        return Pointwise.relu(this);
    }

    /** GELU, erf form. */
    public Variable gelu() {
        return Pointwise.gelu(this);
    }

    /** GELU, tanh approximation. */
    public Variable geluTanh() {
        return Pointwise.geluTanh(this);
    }

    public Variable silu() {
        return Pointwise.silu(this);
    }

    public Variable softplus() {
        return Pointwise.softplus(this, 1, 20);
    }

    public Variable softplus(double beta, double threshold) {
        return Pointwise.softplus(this, beta, threshold);
    }

    public Variable erf() {
        return Pointwise.erf(this);
    }

    /** Clamps into [min, max]; the gradient passes where min &lt;= x &lt;= max, as PyTorch. */
    public Variable clamp(double min, double max) {
        return Pointwise.clamp(this, min, max);
    }

    public Variable pow(double exponent) {
        return Pointwise.pow(this, exponent);
    }

    public Variable add(Variable other) {
        return Pointwise.add(this, other, 1);
    }

    /** {@code this + alpha * other}. */
    public Variable add(Variable other, double alpha) {
        return Pointwise.add(this, other, alpha);
    }

    public Variable add(double s) {
        return Pointwise.addScalar(this, s);
    }

    public Variable sub(Variable other) {
        return Pointwise.add(this, other, -1);
    }

    public Variable sub(double s) {
        return Pointwise.addScalar(this, -s);
    }

    /** {@code s - this}. */
    public Variable rsub(double s) {
        return Pointwise.addScalar(Pointwise.neg(this), s);
    }

    public Variable mul(Variable other) {
        return Pointwise.mul(this, other);
    }

    public Variable mul(double s) {
        return Pointwise.mulScalar(this, s);
    }

    public Variable div(Variable other) {
        return Pointwise.div(this, other);
    }

    public Variable div(double s) {
        return Pointwise.mulScalar(this, 1 / s);
    }

    /** {@code s / this}. */
    public Variable rdiv(double s) {
        return Pointwise.rdiv(this, s);
    }

    public Variable pow(Variable exponent) {
        return Pointwise.pow(this, exponent);
    }

    /** {@code s ^ this}. */
    public Variable rpow(double s) {
        return Pointwise.rpow(this, s);
    }

    /** Elementwise maximum; at ties the gradient is split equally, as PyTorch. */
    public Variable maximum(Variable other) {
        return Pointwise.maximum(this, other);
    }

    /** Elementwise minimum; at ties the gradient is split equally, as PyTorch. */
    public Variable minimum(Variable other) {
        return Pointwise.minimum(this, other);
    }

    /** {@code this + weight * (end - this)}. */
    public Variable lerp(Variable end, double weight) {
        return Pointwise.lerp(this, end, weight);
    }

    /** {@code cond ? a : b} elementwise, with broadcasting. */
    public static Variable where(Tensor cond, Variable a, Variable b) {
        return Pointwise.where(cond, a, b);
    }

    /** {@code cond ? a : s} elementwise. */
    public static Variable where(Tensor cond, Variable a, double s) {
        return Pointwise.where(cond, a, s);
    }

    /** {@code value} where {@code mask} is true; the gradient there is zero. */
    public Variable maskedFill(Tensor mask, double value) {
        return Pointwise.maskedFill(this, mask, value);
    }

    // comparisons are not differentiable: they return tensors

    public Tensor eq(Variable other) {
        return value.eq(other.value);
    }

    public Tensor eq(double s) {
        return value.eq(s);
    }

    public Tensor ne(Variable other) {
        return value.ne(other.value);
    }

    public Tensor ne(double s) {
        return value.ne(s);
    }

    public Tensor lt(Variable other) {
        return value.lt(other.value);
    }

    public Tensor lt(double s) {
        return value.lt(s);
    }

    public Tensor le(Variable other) {
        return value.le(other.value);
    }

    public Tensor le(double s) {
        return value.le(s);
    }

    public Tensor gt(Variable other) {
        return value.gt(other.value);
    }

    public Tensor gt(double s) {
        return value.gt(s);
    }

    public Tensor ge(Variable other) {
        return value.ge(other.value);
    }

    public Tensor ge(double s) {
        return value.ge(s);
    }

    // ------------------------------------------------------------------ reductions

    public Variable sum() {
        return Reductions.sum(this, null, false);
    }

    public Variable sum(int... axes) {
        return Reductions.sum(this, axes, false);
    }

    public Variable sum(int[] axes, boolean keepDim) {
        return Reductions.sum(this, axes, keepDim);
    }

    public Variable mean() {
        return Reductions.mean(this, null, false);
    }

    public Variable mean(int... axes) {
        return Reductions.mean(this, axes, false);
    }

    public Variable mean(int[] axes, boolean keepDim) {
        return Reductions.mean(this, axes, keepDim);
    }

    public Variable prod() {
        return Reductions.prod(this, null, false);
    }

    public Variable prod(int[] axes, boolean keepDim) {
        return Reductions.prod(this, axes, keepDim);
    }

    /** The largest element; the gradient is split equally among ties. */
    public Variable max() {
        return Reductions.amax(this, null, false);
    }

    /** The largest elements over {@code axes}; the gradient is split equally among ties. */
    public Variable amax(int[] axes, boolean keepDim) {
        return Reductions.amax(this, axes, keepDim);
    }

    /** Values and indices of the maxima along one axis; the gradient goes to the returned index. */
    public ValuesAndIndices max(int axis, boolean keepDim) {
        return Reductions.max(this, axis, keepDim);
    }

    public Variable min() {
        return Reductions.amin(this, null, false);
    }

    public Variable amin(int[] axes, boolean keepDim) {
        return Reductions.amin(this, axes, keepDim);
    }

    public ValuesAndIndices min(int axis, boolean keepDim) {
        return Reductions.min(this, axis, keepDim);
    }

    /** Not differentiable: the flat index of the largest element. */
    public Tensor argmax() {
        return value.argmax();
    }

    public Tensor argmax(int axis, boolean keepDim) {
        return value.argmax(axis, keepDim);
    }

    public Tensor argmin() {
        return value.argmin();
    }

    public Tensor argmin(int axis, boolean keepDim) {
        return value.argmin(axis, keepDim);
    }

    /** The variance over all elements with Bessel's correction (1). */
    public Variable var() {
        return Reductions.var(this, null, 1, false);
    }

    public Variable var(int[] axes, int correction, boolean keepDim) {
        return Reductions.var(this, axes, correction, keepDim);
    }

    public Variable std() {
        return Reductions.std(this, null, 1, false);
    }

    public Variable std(int[] axes, int correction, boolean keepDim) {
        return Reductions.std(this, axes, correction, keepDim);
    }

    /** The p-norm of all elements (any positive p, including infinity). */
    public Variable norm(double p) {
        return Reductions.norm(this, p, null, false);
    }

    public Variable norm(double p, int[] axes, boolean keepDim) {
        return Reductions.norm(this, p, axes, keepDim);
    }

    public Variable logsumexp(int[] axes, boolean keepDim) {
        return Reductions.logsumexp(this, axes, keepDim);
    }

    public Variable cumsum(int axis) {
        return Reductions.cumsum(this, axis);
    }

    public Variable softmax(int axis) {
        return Reductions.softmax(this, axis);
    }

    public Variable logSoftmax(int axis) {
        return Reductions.logSoftmax(this, axis);
    }

    /**
     * The causal softmax of attention scores {@code [..., Lq, Lk]}, {@link Tensor#causalSoftmax}:
     * {@code softmax(scale * x)} over the last axis with query i seeing keys 0..i only, exactly 0 elsewhere.
     * Differentiable to any order.
     */
    public Variable causalSoftmax(double scale) {
        return Reductions.causalSoftmax(this, scale);
    }

    /**
     * Layer normalisation over the trailing {@code normalizedShape} (biased variance), then
     * {@code * weight + bias} (each may be null), as one primitive with fused kernels.
     */
    public Variable layerNorm(int[] normalizedShape, @Nullable Variable weight, @Nullable Variable bias, double eps) {
        return Norms.layerNorm(this, normalizedShape, weight, bias, eps);
    }

    /** The values of a {@code max}/{@code min} along an axis (differentiable) and their indices (not). */
    public record ValuesAndIndices(Variable values, Tensor indices) {
    }

    // ------------------------------------------------------------------ products

    /**
     * {@code F.linear}: this {@code [..., in]} times {@code weight^T} ({@code [out, in]}) plus {@code bias}
     * ({@code [out]}, or null for none), one fused product.
     */
    public Variable linear(Variable weight, @Nullable Variable bias) {
        return bias == null ? matmul(weight.t()) : LinearAlgebra.linear(this, weight, bias);
    }

    /**
     * {@code linear(weight, bias).relu()} as one operation: the same values and gradients (to any order), with
     * the ReLU applied in place to the product instead of to a copy of it.
     */
    public Variable linearRelu(Variable weight, @Nullable Variable bias) {
        return bias == null ? linear(weight, null).relu() : LinearAlgebra.linearRelu(this, weight, bias);
    }

    /** {@code torch.matmul}: 1-D, 2-D and batched operands with broadcasting. */
    public Variable matmul(Variable other) {
        return LinearAlgebra.matmul(this, other);
    }

    public Variable outer(Variable other) {
        return LinearAlgebra.outer(this, other);
    }

    public Variable dot(Variable other) {
        return LinearAlgebra.dot(this, other);
    }

    // ------------------------------------------------------------------ indexing

    public Variable indexSelect(int axis, Tensor index) {
        return Indexing.indexSelect(this, axis, index);
    }

    public Variable gather(int axis, Tensor index) {
        return Indexing.gather(this, axis, index);
    }

    /** A copy of this with {@code src} added at {@code index} along {@code axis}; differentiable in both. */
    public Variable scatterAdd(int axis, Tensor index, Variable src) {
        return Indexing.scatterAdd(this, axis, index, src);
    }

    /** The elements at flat indices. */
    public Variable take(Tensor index) {
        return Indexing.take(this, index);
    }

    // ------------------------------------------------------------------ convolution and pooling

    /** 1-D convolution of this [N, C, L] input with weight [O, C / groups, K] (no bias). */
    public Variable conv1d(Variable weight, int stride, int padding, int dilation, int groups) {
        return Convolutions.conv1d(this, weight, stride, padding, dilation, groups);
    }

    /** 2-D convolution of this [N, C, H, W] input with weight [O, C / groups, KH, KW] (no bias). */
    public Variable conv2d(Variable weight, ConvSpec spec) {
        return Convolutions.conv2d(this, weight, spec);
    }

    /** {@link #conv2d(Variable, ConvSpec)} plus a per-channel {@code bias} [O] (or null), added in the same pass. */
    public Variable conv2d(Variable weight, @Nullable Variable bias, ConvSpec spec) {
        return bias == null ? conv2d(weight, spec) : Convolutions.conv2d(this, weight, bias, spec);
    }

    public Variable maxPool1d(int kernel, int stride, int padding) {
        return Convolutions.maxPool1d(this, kernel, stride, padding);
    }

    public Variable maxPool2d(PoolSpec spec) {
        return Convolutions.maxPool2d(this, spec);
    }

    public Variable avgPool1d(int kernel, int stride, int padding, boolean countIncludePad) {
        return Convolutions.avgPool1d(this, kernel, stride, padding, countIncludePad);
    }

    public Variable avgPool2d(PoolSpec spec) {
        return Convolutions.avgPool2d(this, spec);
    }

    @Override
    public String toString() {
        String tail = node != null ? "op=" + node.op : requiresGrad ? "requiresGrad" : "constant";
        return "Variable(" + tail + ") " + value;
    }
}
