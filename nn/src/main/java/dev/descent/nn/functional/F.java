package dev.descent.nn.functional;

import dev.descent.autograd.Variable;
import dev.descent.tensor.ConvSpec;
import dev.descent.tensor.PoolSpec;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * The functional counterpart of every layer and loss, as {@code torch.nn.functional} (imported as
 * {@code F}): the layers of this package call these with their parameters. Optional parameters (bias,
 * affine weights) may be null.
 */
public final class F {
    private F() {
    }

    // ------------------------------------------------------------------ linear, dropout, embedding

    /** {@code x W^T + b} for x of shape [..., in], W [out, in], b [out] or null. */
    public static Variable linear(Variable x, Variable weight, @Nullable Variable bias) {
        return Basic.linear(x, weight, bias);
    }

    /** Zeroes elements with probability p and scales the rest by 1 / (1 - p) when training; identity otherwise. */
    public static Variable dropout(Variable x, double p, boolean training, Rng rng) {
        return Basic.dropout(x, p, training, rng);
    }

    /**
     * Rows of {@code weight} [num, dim] at INT64 {@code indices} (any shape), giving shape indices ++ [dim]; the
     * row {@code paddingIdx} (if >= 0) receives no gradient.
     */
    public static Variable embedding(Tensor indices, Variable weight, int paddingIdx) {
        return Basic.embedding(indices, weight, paddingIdx);
    }

    // ------------------------------------------------------------------ activations

    public static Variable relu(Variable x) {
        return x.relu();
    }

    public static Variable leakyRelu(Variable x, double negativeSlope) {
        return Activations.leakyRelu(x, negativeSlope);
    }

    /** GELU: the erf form, or with {@code tanhApproximation} PyTorch's {@code approximate='tanh'}. */
    public static Variable gelu(Variable x, boolean tanhApproximation) {
        return tanhApproximation ? x.geluTanh() : x.gelu();
    }

    public static Variable silu(Variable x) {
        return x.silu();
    }

    public static Variable tanh(Variable x) {
        return x.tanh();
    }

    public static Variable sigmoid(Variable x) {
        return x.sigmoid();
    }

    public static Variable softmax(Variable x, int axis) {
        return x.softmax(axis);
    }

    public static Variable logSoftmax(Variable x, int axis) {
        return x.logSoftmax(axis);
    }

    // ------------------------------------------------------------------ normalisation

    /** Normalises over the trailing {@code normalizedShape} (biased variance), then {@code * weight + bias}. */
    public static Variable layerNorm(Variable x, int[] normalizedShape, @Nullable Variable weight,
                                     @Nullable Variable bias, double eps) {
        return Normalization.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    /** {@code x / sqrt(mean(x^2) + eps) * weight} over the trailing {@code normalizedShape}. */
    public static Variable rmsNorm(Variable x, int[] normalizedShape, @Nullable Variable weight, double eps) {
        return Normalization.rmsNorm(x, normalizedShape, weight, eps);
    }

    /**
     * Batch normalisation of [N, C, ...] per channel. Training: batch statistics, and the running ones
     * (if not null) updated in place with {@code momentum} (unbiased variance). Evaluation: running statistics.
     */
    public static Variable batchNorm(Variable x, @Nullable Tensor runningMean, @Nullable Tensor runningVar,
                                     @Nullable Variable weight, @Nullable Variable bias,
                                     boolean training, double momentum, double eps) {
        return Normalization.batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /** Group normalisation of [N, C, ...] over groups of C / groups channels, then per-channel affine. */
    public static Variable groupNorm(Variable x, int groups, @Nullable Variable weight, @Nullable Variable bias,
                                     double eps) {
        return Normalization.groupNorm(x, groups, weight, bias, eps);
    }

    // ------------------------------------------------------------------ convolution and pooling

    /** 1-D convolution of [N, C, L] with weight [O, C / groups, K] and bias [O] or null. */
    public static Variable conv1d(Variable x, Variable weight, @Nullable Variable bias, int stride, int padding, int dilation,
                                  int groups) {
        return ConvPool.conv1d(x, weight, bias, stride, padding, dilation, groups);
    }

    /** 2-D convolution of [N, C, H, W] with weight [O, C / groups, KH, KW] and bias [O] or null. */
    public static Variable conv2d(Variable x, Variable weight, @Nullable Variable bias, ConvSpec spec) {
        return ConvPool.conv2d(x, weight, bias, spec);
    }

    public static Variable maxPool1d(Variable x, int kernel, int stride, int padding) {
        return ConvPool.maxPool1d(x, kernel, stride, padding);
    }

    public static Variable maxPool2d(Variable x, PoolSpec spec) {
        return ConvPool.maxPool2d(x, spec);
    }

    public static Variable avgPool1d(Variable x, int kernel, int stride, int padding, boolean countIncludePad) {
        return ConvPool.avgPool1d(x, kernel, stride, padding, countIncludePad);
    }

    public static Variable avgPool2d(Variable x, PoolSpec spec) {
        return ConvPool.avgPool2d(x, spec);
    }

    /** Average pooling of [N, C, H, W] to [N, C, outH, outW] with PyTorch's adaptive windows. */
    public static Variable adaptiveAvgPool2d(Variable x, int outH, int outW) {
        return ConvPool.adaptiveAvgPool2d(x, outH, outW);
    }

    // ------------------------------------------------------------------ attention

    /** The output of attention and, when asked for, the attention weights. */
    public record AttentionResult(Variable output, @Nullable Variable weights) {
    }

    /**
     * {@code softmax(q k^T / sqrt(d) + masks) v} over the last two axes of q [..., Lq, d], k [..., Lk, d] and
     * v [..., Lk, dv]. {@code mask} (BOOL, broadcastable to [..., Lq, Lk], or null) is true where attention is
     * NOT allowed; {@code causal} also forbids keys after the query, aligned at the top left (query i sees
     * keys j <= i, also when Lq != Lk); {@code dropout} applies to the weights (with {@code rng}; 0 for none).
     * A query whose every key is masked gets NaN, as in PyTorch 1.13.
     */
    public static AttentionResult scaledDotProductAttention(Variable q, Variable k, Variable v, @Nullable Tensor mask,
                                                            boolean causal, double dropout, @Nullable Rng rng) {
        return Attention.scaledDotProductAttention(q, k, v, mask, causal, dropout, rng);
    }

    // ------------------------------------------------------------------ losses

    /**
     * Cross-entropy of logits [N, C] (or [N, C, d...]) against INT64 class indices [N] (or [N, d...]);
     * targets equal to {@code ignoreIndex} count for nothing (the mean is over the others); label smoothing
     * mixes the one-hot target with the uniform distribution, as PyTorch. A floating-point target is taken
     * as class probabilities, as {@code F.cross_entropy} does.
     */
    public static Variable crossEntropy(Variable input, Tensor target, Reduction reduction, int ignoreIndex,
                                        double labelSmoothing) {
        return Losses.crossEntropy(input, target, reduction, ignoreIndex, labelSmoothing);
    }

    /** Mean cross-entropy against class indices, as {@code F.cross_entropy(input, target)}. */
    public static Variable crossEntropy(Variable input, Tensor target) {
        return Losses.crossEntropy(input, target, Reduction.MEAN, -100, 0);
    }

    /** Cross-entropy against class probabilities of the input's shape. */
    public static Variable crossEntropyWithProbabilities(Variable input, Variable target, Reduction reduction,
                                                         double labelSmoothing) {
        return Losses.crossEntropyWithProbabilities(input, target, reduction, labelSmoothing);
    }

    /** Negative log-likelihood of log-probabilities [N, C] at INT64 targets [N]. */
    public static Variable nllLoss(Variable logProbs, Tensor target, Reduction reduction, int ignoreIndex) {
        return Losses.nllLoss(logProbs, target, reduction, ignoreIndex);
    }

    public static Variable mseLoss(Variable input, Variable target, Reduction reduction) {
        return Losses.mseLoss(input, target, reduction);
    }

    public static Variable l1Loss(Variable input, Variable target, Reduction reduction) {
        return Losses.l1Loss(input, target, reduction);
    }

    /** Huber-like loss: {@code 0.5 d^2 / beta} where |d| < beta, else {@code |d| - 0.5 beta}. */
    public static Variable smoothL1Loss(Variable input, Variable target, Reduction reduction, double beta) {
        return Losses.smoothL1Loss(input, target, reduction, beta);
    }

    /** Binary cross-entropy of logits against targets in [0, 1], computed stably. */
    public static Variable binaryCrossEntropyWithLogits(Variable input, Variable target, Reduction reduction) {
        return Losses.binaryCrossEntropyWithLogits(input, target, reduction);
    }
}
