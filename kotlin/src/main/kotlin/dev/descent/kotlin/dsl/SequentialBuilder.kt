package dev.descent.kotlin.dsl

import dev.descent.kotlin.scope.currentRng
import dev.descent.nn.AvgPool2d
import dev.descent.nn.BatchNorm1d
import dev.descent.nn.BatchNorm2d
import dev.descent.nn.Conv2d
import dev.descent.nn.Dropout
import dev.descent.nn.Flatten
import dev.descent.nn.GELU
import dev.descent.nn.Identity
import dev.descent.nn.Layer
import dev.descent.nn.LayerNorm
import dev.descent.nn.LeakyReLU
import dev.descent.nn.Linear
import dev.descent.nn.LogSoftmax
import dev.descent.nn.MaxPool2d
import dev.descent.nn.NormPosition
import dev.descent.nn.RMSNorm
import dev.descent.nn.ReLU
import dev.descent.nn.Sequential
import dev.descent.nn.SiLU
import dev.descent.nn.Sigmoid
import dev.descent.nn.Softmax
import dev.descent.nn.Tanh
import dev.descent.nn.TransformerEncoder
import dev.descent.tensor.Rng

/**
 * A [Sequential] of the layers the block adds, in order, named "0", "1", ... as `torch.nn.Sequential`:
 *
 * ```
 * val mlp = seeded(0) { sequential { linear(784, 256); relu(); dropout(0.1); linear(256, 10) } }
 * ```
 *
 * Layers with weights or dropout draw from [rng] in the order they are added, so the model is the one the
 * same constructors called in the same order with that generator would make, bit for bit.
 *
 * @param rng the generator of initial weights and dropout masks; by default the current one of a
 *     `seeded` block (it fails outside one)
 */
fun sequential(rng: Rng = currentRng("sequential"), block: SequentialBuilder.() -> Unit): Sequential =
    Sequential(SequentialBuilder(rng).apply(block).layers)

/** The receiver of a [sequential] block: each function appends one layer, made with this block's generator. */
@DescentDsl
class SequentialBuilder internal constructor(private val rng: Rng) {
    internal val layers = mutableListOf<Layer>()

    /** Appends [layer] as it is (any [Layer], e.g. one built in Java or another [sequential]). */
    fun add(layer: Layer) {
        layers += layer
    }

    /** `+layer`: appends [layer], as [add]. */
    operator fun Layer.unaryPlus() = add(this)

    /** A nested [Sequential], drawing from this block's generator. */
    fun sequential(block: SequentialBuilder.() -> Unit) = add(dev.descent.kotlin.dsl.sequential(rng, block))

    /** [Linear]: `y = x W^T + b`, PyTorch's initialisation. */
    fun linear(inFeatures: Int, outFeatures: Int, bias: Boolean = true) =
        add(Linear(inFeatures, outFeatures, bias, rng))

    /** [Conv2d] with a square kernel, stride, zero padding, dilation and groups. */
    fun conv2d(
        inChannels: Int, outChannels: Int, kernelSize: Int,
        stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1, bias: Boolean = true,
    ) = add(Conv2d(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, rng))

    /** [MaxPool2d] with a square window; the stride defaults to the window, as PyTorch. */
    fun maxPool2d(kernelSize: Int, stride: Int = kernelSize, padding: Int = 0) =
        add(MaxPool2d(kernelSize, stride, padding))

    /** [AvgPool2d] with a square window; the stride defaults to the window, as PyTorch. */
    fun avgPool2d(kernelSize: Int, stride: Int = kernelSize, padding: Int = 0) =
        add(AvgPool2d(kernelSize, stride, padding))

    /** [Dropout] with probability [p], its masks drawn from this block's generator. */
    fun dropout(p: Double) = add(Dropout(p, rng))

    /** [ReLU]. */
    fun relu() = add(ReLU())

    /** [GELU], exact (erf) or with the tanh approximation. */
    fun gelu(tanhApproximation: Boolean = false) = add(GELU(tanhApproximation))

    /** [LeakyReLU] with PyTorch's default slope 0.01. */
    fun leakyRelu(negativeSlope: Double = 0.01) = add(LeakyReLU(negativeSlope))

    /** [SiLU] (swish). */
    fun silu() = add(SiLU())

    /** [Tanh]. */
    fun tanh() = add(Tanh())

    /** [Sigmoid]. */
    fun sigmoid() = add(Sigmoid())

    /** [Softmax] over axis [dim]. */
    fun softmax(dim: Int) = add(Softmax(dim))

    /** [LogSoftmax] over axis [dim]. */
    fun logSoftmax(dim: Int) = add(LogSoftmax(dim))

    /** [Flatten] of axes [startDim]..[endDim]; by default every axis but the batch axis. */
    fun flatten(startDim: Int = 1, endDim: Int = -1) = add(Flatten(startDim, endDim))

    /** [Identity]. */
    fun identity() = add(Identity())

    /** [LayerNorm] over the trailing axes of [normalizedShape]. */
    fun layerNorm(vararg normalizedShape: Int) = add(LayerNorm(*normalizedShape))

    /** [RMSNorm] over the trailing axes of [normalizedShape]. */
    fun rmsNorm(vararg normalizedShape: Int) = add(RMSNorm(*normalizedShape))

    /** [BatchNorm1d] of [numFeatures] features. */
    fun batchNorm1d(numFeatures: Int) = add(BatchNorm1d(numFeatures))

    /** [BatchNorm2d] of [numFeatures] channels. */
    fun batchNorm2d(numFeatures: Int) = add(BatchNorm2d(numFeatures))

    /**
     * A [TransformerEncoder] of [layers] blocks on [N, T, dModel] inputs (ReLU feed-forward), with a final
     * LayerNorm exactly when [norm] is PRE.
     */
    fun transformerEncoder(
        layers: Int, dModel: Int, heads: Int,
        feedForward: Int = 4 * dModel, dropout: Double = 0.0, norm: NormPosition = NormPosition.PRE,
    ) = add(TransformerEncoder(layers, dModel, heads, feedForward, dropout, norm, rng))
}
