// Gradient norms at initialisation written as a block:
// `gradNormsAtInit(ModelKind.LM) { dModel = 64; heads = 4; seeds = 5 }.sweep(2, 4, 8)`.
@file:JvmName("GradNormsDsl")

package dev.descent.kotlin.analysis

import dev.descent.analysis.gradnorm.DepthSweep
import dev.descent.analysis.gradnorm.GradNormReport
import dev.descent.analysis.gradnorm.GradNormSetup
import dev.descent.analysis.gradnorm.GradientNormsAtInit
import dev.descent.analysis.gradnorm.ModelKind
import dev.descent.analysis.report.StudyFolder
import dev.descent.kotlin.dsl.DescentDsl
import java.nio.file.Path

/**
 * The [GradNormSetup] of [model] that [block] describes; what it leaves out is [GradNormSetup.builder]'s
 * default, so `gradNormSetup(LM) { }` is `GradNormSetup.builder(LM).build()`.
 *
 * @throws IllegalArgumentException from [GradNormSetup], naming the sizes that are wrong
 */
fun gradNormSetup(model: ModelKind, block: GradNormSetupBuilder.() -> Unit = {}): GradNormSetup =
    GradNormSetupBuilder().apply(block).setup(model)

/**
 * Xiong et al.'s gradient-norm study ([GradientNormsAtInit]) of the setup [block] describes (see
 * [gradNormSetup]); it draws its batches now. Measure with the Java methods:
 * `gradNormsAtInit(ModelKind.LM) { seeds = 5 }.sweep(2, 4, 8)`.
 */
fun gradNormsAtInit(model: ModelKind, block: GradNormSetupBuilder.() -> Unit = {}): GradientNormsAtInit =
    GradientNormsAtInit(gradNormSetup(model, block))

/**
 * Writes this sweep's report into [folder] ([GradNormReport.write]): `per_layer.csv`/`.png` at depth [layers]
 * (by default the deepest), `depth.csv`/`.png` and `gradnorm.json`.
 */
fun DepthSweep.writeReport(folder: Path, layers: Int = depths().last()) {
    GradNormReport.write(StudyFolder(folder), this, layers)
}

/** The receiver of a [gradNormsAtInit] block; a property left null keeps the Java builder's default. */
@DescentDsl
class GradNormSetupBuilder internal constructor() {
    /** Model width (default 64). */
    var dModel: Int? = null

    /** Attention heads, dividing [dModel] (default 4). */
    var heads: Int? = null

    /** Feed-forward hidden width (default 4 [dModel]). */
    var dimFeedforward: Int? = null

    /** Tokens per sequence (default 32). */
    var seqLen: Int? = null

    /** Sequences per batch (default 8). */
    var batchSize: Int? = null

    /** Batches per initialisation, the same for every seed and depth (default 10). */
    var batches: Int? = null

    /** Initialisations per configuration (default 5). */
    var seeds: Int? = null

    /** The study's seed, which fixes the batches and the initialisations (default 0). */
    var seed: Long? = null

    /** Tokens of the encoder-decoder's reversal task (default 32). */
    var taskVocabulary: Int? = null

    internal fun setup(model: ModelKind): GradNormSetup {
        val b = GradNormSetup.builder(model)
        dModel?.let { b.dModel(it) }
        heads?.let { b.heads(it) }
        dimFeedforward?.let { b.dimFeedforward(it) }
        seqLen?.let { b.seqLen(it) }
        batchSize?.let { b.batchSize(it) }
        batches?.let { b.batches(it) }
        seeds?.let { b.seeds(it) }
        seed?.let { b.seed(it) }
        taskVocabulary?.let { b.taskVocabulary(it) }
        return b.build()
    }
}
