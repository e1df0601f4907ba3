// Warmup studies written as blocks: `warmupStudy { task = LM; norms(PRE, POST); peakLrs(3e-3, 1e-2); steps = 400 }`
// is the analysis module's WarmupGrid, with every setting the block leaves out taken from the Java defaults.
@file:JvmName("WarmupStudyDsl")

package dev.descent.kotlin.analysis

import dev.descent.analysis.warmup.DivergenceRule
import dev.descent.analysis.warmup.LrDecay
import dev.descent.analysis.warmup.ModelSize
import dev.descent.analysis.warmup.WarmupGrid
import dev.descent.analysis.warmup.WarmupSettings
import dev.descent.analysis.warmup.WarmupTask
import dev.descent.kotlin.dsl.DescentDsl
import dev.descent.nn.NormPosition

/**
 * The [WarmupGrid] that [block] describes:
 *
 * ```
 * val grid = warmupStudy {
 *     task = LM; norms(PRE, POST); peakLrs(3e-3, 1e-2); warmups(0, 100); optimizers("Adam"); seeds(1)
 *     steps = 400
 *     model { dModel = 32; layers = 2 }
 * }
 * val result = grid.run(Path.of("runs/warmup"), jobs = 2)
 * ```
 *
 * An axis or setting the block leaves out is that of [WarmupGrid.defaults] and [WarmupSettings.defaults] for the
 * block's [WarmupStudyBuilder.task], so `warmupStudy { }` is `WarmupGrid.defaults(LM)`. Two settings follow
 * others: the window, left out, is the default one shrunk to the steps if they are fewer (as
 * [WarmupSettings.withSteps] does), and the feed-forward width, left out, is 4 dModel.
 *
 * @throws IllegalArgumentException from the Java records, naming the axis or setting that is wrong
 */
fun warmupStudy(block: WarmupStudyBuilder.() -> Unit): WarmupGrid = WarmupStudyBuilder().apply(block).grid()

/** The receiver of a [warmupStudy] block: the grid's axes, then the settings every cell shares. */
@DescentDsl
class WarmupStudyBuilder internal constructor() {
    private var norms: List<NormPosition>? = null
    private var peakLrs: List<Double>? = null
    private var warmups: List<Long>? = null
    private var optimizers: List<String>? = null
    private var seeds: List<Long>? = null
    private var gradientSteps: List<Long>? = null
    private var optimizerOptions: Map<String, String>? = null
    private val size = ModelSizeBuilder()

    /** What is trained; its defaults fill in what the block leaves out. */
    var task: WarmupTask = WarmupTask.LM

    /** Optimizer updates per run. */
    var steps: Long? = null

    /** Sequences per batch. */
    var batchSize: Int? = null

    /** The schedule after warmup: [CONSTANT] or [INVERSE_SQRT]. */
    var decay: LrDecay? = null

    /** The loss whose first crossing counts as "steps to target". */
    var targetLoss: Double? = null

    /** A run diverges above this multiple of `ln(classes)` ([DivergenceRule]). */
    var divergenceFactor: Double? = null

    /** Losses averaged for the final loss and the target test. */
    var window: Int? = null

    /** Distinct tokens of the sequences to reverse ([SEQ2SEQ] only). */
    var seq2seqVocabulary: Int? = null

    /** The norm positions, e.g. `norms(PRE, POST)`. */
    fun norms(vararg values: NormPosition) {
        norms = values.toList()
    }

    /** The peak learning rates each warmup ends at. */
    fun peakLrs(vararg values: Double) {
        peakLrs = values.toList()
    }

    /** Warmup lengths in updates (0: none). */
    fun warmups(vararg values: Long) {
        warmups = values.toList()
    }

    /** Optimizers by registry name (`"Adam"`, `"RAdam"`, ...). */
    fun optimizers(vararg names: String) {
        optimizers = names.toList()
    }

    /** One run per seed for every other combination. */
    fun seeds(vararg values: Long) {
        seeds = values.toList()
    }

    /** The steps (0 = the initial weights) at which gradient norms are recorded; the last step is always added. */
    fun gradientSteps(vararg values: Long) {
        gradientSteps = values.toList()
    }

    /** Hyperparameters given to every optimizer, by reference name: `optimizerOptions("betas" to "0.9,0.999")`. */
    fun optimizerOptions(vararg options: Pair<String, String>) {
        optimizerOptions = options.toMap()
    }

    /** The Transformer's shape; what [block] leaves out is the task's default. */
    fun model(block: ModelSizeBuilder.() -> Unit) {
        size.apply(block)
    }

    /** The character LM on tiny Shakespeare, for `task = LM`. */
    val LM: WarmupTask get() = WarmupTask.LM

    /** The encoder-decoder reversing sequences, for `task = SEQ2SEQ`. */
    val SEQ2SEQ: WarmupTask get() = WarmupTask.SEQ2SEQ

    /** Pre-LN, for `norms(PRE, POST)`. */
    val PRE: NormPosition get() = NormPosition.PRE

    /** Post-LN, for `norms(PRE, POST)`. */
    val POST: NormPosition get() = NormPosition.POST

    /** A constant rate after warmup, for `decay = CONSTANT`. */
    val CONSTANT: LrDecay get() = LrDecay.CONSTANT

    /** fairseq's inverse square root decay after warmup, for `decay = INVERSE_SQRT`. */
    val INVERSE_SQRT: LrDecay get() = LrDecay.INVERSE_SQRT

    internal fun grid(): WarmupGrid {
        val axes = WarmupGrid.defaults(task)
        return WarmupGrid(norms ?: axes.norms(), peakLrs ?: axes.peakLrs(), warmups ?: axes.warmups(),
            optimizers ?: axes.optimizers(), seeds ?: axes.seeds(), settings())
    }

    private fun settings(): WarmupSettings {
        val d = WarmupSettings.defaults(task)
        val runSteps = steps ?: d.steps()
        return WarmupSettings(task, runSteps, batchSize ?: d.batchSize(), size.resolve(d.size()), decay ?: d.decay(),
            targetLoss ?: d.targetLoss(), divergenceFactor?.let { DivergenceRule(it) } ?: d.divergence(),
            gradientSteps ?: d.gradientSteps(), window ?: minOf(d.window().toLong(), maxOf(runSteps, 1)).toInt(),
            optimizerOptions ?: d.optimizerOptions(), seq2seqVocabulary ?: d.seq2seqVocabulary())
    }
}

/** The receiver of a `model { }` block in [warmupStudy]: the Transformer's shape, one property per size. */
@DescentDsl
class ModelSizeBuilder internal constructor() {
    /** Model width. */
    var dModel: Int? = null

    /** Attention heads, dividing [dModel]. */
    var heads: Int? = null

    /** Blocks of the LM, or of each of the encoder and decoder. */
    var layers: Int? = null

    /** Feed-forward hidden width; left out, 4 [dModel]. */
    var feedforward: Int? = null

    /** The LM's window of characters, or the length of the sequences to reverse. */
    var seqLen: Int? = null

    internal fun resolve(default: ModelSize): ModelSize {
        val d = dModel ?: default.dModel()
        return ModelSize(d, heads ?: default.heads(), layers ?: default.layers(), feedforward ?: (4 * d),
            seqLen ?: default.seqLen())
    }
}
