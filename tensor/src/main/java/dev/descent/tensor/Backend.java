package dev.descent.tensor;

import org.jspecify.annotations.Nullable;

/**
 * The contract between {@link Tensor} and a device: allocation, copies to and from the host, and the
 * primitive kernels. Everything else in Descent is composed from these.
 *
 * <p>{@link Tensor} does all checking (shapes, dtypes, devices) and allocates every output before it
 * calls a kernel, so a backend sees only valid calls: outputs are freshly allocated and contiguous unless
 * the method says otherwise (in-place calls pass the destination view itself), and inputs are arbitrary
 * strided views of the backend's own storages, already broadcast to the output shape where the method
 * says so (broadcast dimensions have stride 0). Backends are found with {@link java.util.ServiceLoader};
 * the CUDA backend implements the same contract and runs the same contract tests as the CPU one.
 */
public interface Backend {

    /** The device whose storages this backend owns. */
    Device device();

    /** A zero-filled storage of {@code size} elements. */
    Storage allocate(DType dtype, int size);

    /**
     * A storage holding a copy of a host array: {@code float[]} for FLOAT32, {@code double[]} for FLOAT64,
     * {@code long[]} for INT64, {@code boolean[]} for BOOL. The caller gives up the array: a CPU backend
     * may adopt it without copying.
     */
    Storage fromHost(DType dtype, Object array);

    /** Copies the elements of {@code src}, in row-major order of its shape, into a new host array. */
    Object toHost(Tensor src);

    /** Copies {@code src} into {@code dst} elementwise (same shape, any layouts), converting the dtype. */
    void copy(Tensor src, Tensor dst);

    /** Sets every element of the view {@code dst} to {@code value} (converted to dst's dtype). */
    void fill(Tensor dst, double value);

    /** {@code out = op(in)}; {@code in} has out's shape; {@code p} and {@code q} are the op's parameters. */
    void unary(UnaryOp op, Tensor in, Tensor out, double p, double q);

    /** {@code out = a op b}; a and b are broadcast to out's shape; out may be a or b (in place). */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out, double alpha);

    /** {@code out = a op s} or, when {@code scalarFirst}, {@code out = s op a}; out may be a. */
    void binaryScalar(BinaryOp op, Tensor a, double s, boolean scalarFirst, Tensor out);

    /** The fused {@link TernaryOp}; a, b and c are broadcast to out's shape; out may be a. */
    void ternary(TernaryOp op, Tensor a, Tensor b, Tensor c, double s, Tensor out);

    /** {@code out = cond ? a : b}; all broadcast to out's shape; cond is BOOL. */
    void where(Tensor cond, Tensor a, Tensor b, Tensor out);

    /**
     * Reduces {@code in} over {@code axes} (sorted, distinct) into {@code out}, whose shape is in's with
     * size 1 at each reduced axis. {@link ReduceOp#ARGMAX} and {@link ReduceOp#ARGMIN} get one axis.
     */
    void reduce(ReduceOp op, Tensor in, int[] axes, Tensor out);

    /** Inclusive prefix sum of {@code in} along {@code axis} into out (same shape). */
    void cumsum(Tensor in, int axis, Tensor out);

    /**
     * Batched matrix product: a is {@code [B..., M, K]}, b is {@code [B..., K, N]} with equal batch dims
     * (possibly stride-0 broadcasts), out is contiguous {@code [B..., M, N]}. Float dtypes only.
     */
    void matmul(Tensor a, Tensor b, Tensor out);

    /** {@code out} takes the slices of {@code in} along {@code axis} at the INT64 positions in 1-D {@code index}. */
    void indexSelect(Tensor in, int axis, Tensor index, Tensor out);

    /** {@code out[..i..] = in[..index[..i..]..]} along {@code axis}; index and out have the same shape. */
    void gather(Tensor in, int axis, Tensor index, Tensor out);

    /** In place: {@code self[..index[..i..]..] += src[..i..]} along {@code axis}; index and src have the same shape. */
    void scatterAdd(Tensor self, int axis, Tensor index, Tensor src);

    /** 2-D convolution without bias: x {@code [N, C, H, W]}, w {@code [O, C/g, KH, KW]}, out {@code [N, O, OH, OW]}. */
    void conv2d(ConvSpec spec, Tensor x, Tensor w, Tensor out);

    /** The gradient of {@link #conv2d} with respect to its input, written into gradIn {@code [N, C, H, W]}. */
    void conv2dInputGrad(ConvSpec spec, Tensor gradOut, Tensor w, Tensor gradIn);

    /** The gradient of {@link #conv2d} with respect to its weight, written into gradW {@code [O, C/g, KH, KW]}. */
    void conv2dWeightGrad(ConvSpec spec, Tensor x, Tensor gradOut, Tensor gradW);

    /** Max pooling of x {@code [N, C, H, W]} into out, recording the flat {@code h * W + w} position of each maximum in indices (INT64). */
    void maxPool2d(PoolSpec spec, Tensor x, Tensor out, Tensor indices);

    /** Routes gradOut to the recorded positions of the maxima, accumulating into the zeroed gradIn. */
    void maxPool2dBackward(PoolSpec spec, Tensor gradOut, Tensor indices, Tensor gradIn);

    /** Average pooling of x {@code [N, C, H, W]} into out. */
    void avgPool2d(PoolSpec spec, Tensor x, Tensor out);

    /** The gradient of {@link #avgPool2d}, written into the zeroed gradIn. */
    void avgPool2dBackward(PoolSpec spec, Tensor gradOut, Tensor gradIn);

    /** Sets the number of threads this backend's kernels may use. */
    void setThreads(int threads);

    /**
     * One fused optimizer update in place ({@link FusedUpdates#apply} has checked the tensors: contiguous, of
     * one floating-point dtype and shape, required slots present). The result must equal the rule's sequence
     * of in-place operations element for element (see {@link FusedRule}).
     */
    void fusedUpdate(FusedRule rule, @Nullable Tensor[] tensors, double[] scalars);

    /**
     * Layer normalisation of contiguous {@code x} as {@code rows} rows of {@code cols}: writes {@code out}
     * (x's shape), and per row {@code mean} and {@code rstd} ([rows]); weight and bias ([cols]) may be null.
     */
    void layerNorm(Tensor x, int rows, int cols, @Nullable Tensor weight, @Nullable Tensor bias, double eps, Tensor out,
                   Tensor mean, Tensor rstd);

    /**
     * The gradients of {@link #layerNorm} (contiguous inputs); writes {@code gx} (x's shape), {@code gw} and
     * {@code gb} ([cols]), each skipped when null.
     */
    void layerNormBackward(Tensor g, Tensor x, Tensor mean, Tensor rstd, @Nullable Tensor weight, int rows, int cols,
                           @Nullable Tensor gx, @Nullable Tensor gw, @Nullable Tensor gb);

    /**
     * ReLU's backward ({@link ActivationGrads#relu}): {@code out = grad * (x > 0 ? 1 : 0)} for contiguous grad
     * and x of out's shape, and NaN where x is NaN. The default composes it from the other kernels through the
     * {@link Tensor} facade, with the mask {@code clamp(x * 2^k * 2^k, 0, 1)} (2^k the dtype's largest power
     * of two: exactly 1 for every positive x); a backend overrides it with one fused pass.
     */
    default void reluBackward(Tensor grad, Tensor x, Tensor out) {
        double scale = x.dtype() == DType.FLOAT64 ? 0x1p1023 : 0x1p127;
        binary(BinaryOp.MUL, grad, x.mul(scale).mul(scale).clamp(0, 1), out, 1);
    }

    /**
     * Softmax ({@code log} false) or log-softmax over the last axis, of length {@code cols}, of contiguous x
     * into out (x's shape). The default composes it from the other kernels through the {@link Tensor}
     * facade; a backend overrides it with one fused pass per row.
     */
    default void softmaxLastAxis(Tensor x, int cols, boolean log, Tensor out) {
        copy(log ? Reductions.composedLogSoftmax(x, -1) : Reductions.composedSoftmax(x, -1), out);
    }

    /**
     * The backward of {@link #softmaxLastAxis} from its output y and the output gradient g (contiguous, y's
     * shape): {@code y (g - sum(g y))} for softmax, {@code g - exp(y) sum(g)} for log-softmax, sums over the
     * last axis. The default composes it; a backend overrides it with one fused pass per row.
     */
    default void softmaxBackwardLastAxis(Tensor y, Tensor g, int cols, boolean log, Tensor out) {
        int[] last = {-1};
        Tensor grad = log ? g.sub(y.exp().mul(g.sum(last, true))) : y.mul(g.sub(g.mul(y).sum(last, true)));
        copy(grad, out);
    }

    /**
     * Causal softmax of attention scores: for contiguous x {@code [..., lq, lk]} (rank 2 or more), out (x's
     * shape) holds {@code softmax(scale * x)} over the last axis where query row i of each {@code [lq, lk]}
     * matrix sees keys 0..i only (aligned at the top left, as PyTorch's {@code is_causal}): the result is that
     * of the scaled row with -inf at the masked positions, out is exactly 0 there, and x is not read there (a
     * NaN or infinity there does not matter). The default composes it from the other kernels through the
     * {@link Tensor} facade (scale, masked fill, softmax); a backend overrides it with one pass per row that
     * skips the masked part.
     */
    default void causalSoftmax(Tensor x, double scale, Tensor out) {
        copy(x.mul(scale).maskedFill(causalMask(x), Double.NEGATIVE_INFINITY).softmax(-1), out);
    }

    /**
     * The backward of {@link #causalSoftmax} from its output y and the output gradient g (contiguous, y's
     * shape): {@code y (g - sum(g y)) scale}, the sum over the last axis, and 0 at the masked positions (where
     * y is 0; g is not read there). The default composes it; a backend overrides it with one pass per row.
     */
    default void causalSoftmaxBackward(Tensor y, Tensor g, double scale, Tensor out) {
        Tensor visible = g.maskedFill(causalMask(y), 0);
        copy(y.mul(visible.sub(visible.mul(y).sum(new int[] {-1}, true))).mul(scale), out);
    }

    /** The BOOL {@code [lq, lk]} mask of the positions that {@link #causalSoftmax} hides: column j > row i. */
    private static Tensor causalMask(Tensor x) {
        Tensor rows = Tensor.arange(x.size(-2)).unsqueeze(1);
        return Tensor.arange(x.size(-1)).unsqueeze(0).gt(rows).to(x.device());
    }

    /**
     * {@code out = a b + bias}: a {@code [M, K]} and b {@code [K, N]} (any strides), bias {@code [N]} added to
     * every row, out contiguous {@code [M, N]}; float dtypes. The default is {@link #matmul} followed by an
     * in-place broadcast addition; a backend may fold the bias into the product.
     */
    default void matmulAddRow(Tensor a, Tensor b, Tensor bias, Tensor out) {
        matmul(a, b, out);
        binary(BinaryOp.ADD, out, bias.broadcastTo(out.shape()), out, 1);
    }

    /**
     * {@link #conv2d} plus {@code bias} ([O], contiguous) added to every position of each output channel. The
     * default convolves, then adds the bias in place; a backend may add it as the output is written.
     */
    default void conv2dBias(ConvSpec spec, Tensor x, Tensor w, Tensor bias, Tensor out) {
        conv2d(spec, x, w, out);
        binary(BinaryOp.ADD, out, bias.reshape(1, bias.numel(), 1, 1).broadcastTo(out.shape()), out, 1);
    }
}
