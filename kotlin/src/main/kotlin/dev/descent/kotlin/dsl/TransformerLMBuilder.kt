package dev.descent.kotlin.dsl

import dev.descent.kotlin.scope.currentRng
import dev.descent.nn.FeedForwardActivation
import dev.descent.nn.NormPosition
import dev.descent.nn.PositionalEncoding
import dev.descent.nn.TransformerLM
import dev.descent.tensor.Rng

/**
 * A decoder-only [TransformerLM] over [vocabSize] tokens and sequences up to [maxLen]:
 *
 * ```
 * val lm = seeded(0) { transformerLM(vocabSize = 65, maxLen = 64) { dModel = 64; heads = 4; layers = 6; norm = PRE } }
 * ```
 *
 * [TransformerLMBuilder.dModel], [TransformerLMBuilder.heads] and [TransformerLMBuilder.layers] must be set;
 * the rest default as [TransformerLM.Config.builder] does (feed-forward width 4 dModel, no dropout, ReLU, PRE,
 * learned positions, an untied head).
 *
 * @param rng the generator of the initial weights and dropout; by default the current one of a `seeded` block
 * @throws IllegalArgumentException naming what is missing or wrong
 */
fun transformerLM(
    vocabSize: Int,
    maxLen: Int,
    rng: Rng = currentRng("transformerLM"),
    block: TransformerLMBuilder.() -> Unit,
): TransformerLM = TransformerLM(TransformerLMBuilder().apply(block).config(vocabSize, maxLen), rng)

/** The receiver of a [transformerLM] block: the shape of the model, one property per setting. */
@DescentDsl
class TransformerLMBuilder internal constructor() {
    /** Model width (required). */
    var dModel: Int? = null

    /** Attention heads, dividing [dModel] (required). */
    var heads: Int? = null

    /** Transformer blocks (required). */
    var layers: Int? = null

    /** Feed-forward hidden width; null for the default, 4 [dModel]. */
    var feedForward: Int? = null

    /** Dropout probability of embeddings, blocks and attention weights. */
    var dropout: Double = 0.0

    /** The feed-forward nonlinearity. */
    var activation: FeedForwardActivation = FeedForwardActivation.RELU

    /** Where the LayerNorms go: [PRE] (with a final LayerNorm) or [POST]. */
    var norm: NormPosition = NormPosition.PRE

    /** Sinusoidal or learned positions. */
    var positions: PositionalEncoding.Kind = PositionalEncoding.Kind.LEARNED

    /** Whether the output head is the transposed token embedding. */
    var tieWeights: Boolean = false

    /** Pre-LN, for `norm = PRE`. */
    val PRE: NormPosition get() = NormPosition.PRE

    /** Post-LN, for `norm = POST`. */
    val POST: NormPosition get() = NormPosition.POST

    internal fun config(vocabSize: Int, maxLen: Int): TransformerLM.Config {
        val missing = listOf("dModel" to dModel, "heads" to heads, "layers" to layers).filter { it.second == null }
        require(missing.isEmpty()) {
            "transformerLM: set ${missing.joinToString { it.first }} (vocabSize $vocabSize, maxLen $maxLen)"
        }
        val b = TransformerLM.Config.builder(vocabSize, maxLen, dModel!!, heads!!, layers!!)
            .dropout(dropout).activation(activation).normPosition(norm).positions(positions).tieWeights(tieWeights)
        feedForward?.let { b.dimFeedforward(it) }
        return b.build()
    }
}
