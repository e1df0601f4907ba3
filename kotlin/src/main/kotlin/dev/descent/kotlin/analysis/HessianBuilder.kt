// A model's Hessian as an operator, written as a block: `hessian(model, loss) { data(loader); block("0.") }`.
@file:JvmName("HessianDsl")

package dev.descent.kotlin.analysis

import dev.descent.analysis.curvature.CurvatureMode
import dev.descent.analysis.curvature.HessianOperator
import dev.descent.analysis.curvature.LossFunction
import dev.descent.analysis.curvature.ParameterBlock
import dev.descent.analysis.warmup.TrainedCells
import dev.descent.kotlin.dsl.DescentDsl
import dev.descent.nn.Module
import dev.descent.nn.data.Batch
import dev.descent.nn.data.DataLoader

/**
 * The [HessianOperator] of [model]'s mean [loss] that [block] describes:
 *
 * ```
 * val h = hessian(model, LossFunction.crossEntropy()) {
 *     data(loader)          // or batch(b) / batches(list): required
 *     block("0.")           // the parameters of submodule 0 only; default: all of them
 * }
 * val top = h.topEigenvalues(5, rng = Rng(0))
 * ```
 *
 * Each function sets one [HessianOperator.Builder] option; a later call replaces an earlier one.
 *
 * @throws IllegalArgumentException if no data is given, or a block selects none of the model's parameters
 */
fun hessian(model: Module, loss: LossFunction, block: HessianBuilder.() -> Unit): HessianOperator =
    HessianBuilder(model, HessianOperator.builder(model, loss)).apply(block).builder.build()

/**
 * The Hessian of a trained warmup-study cell ([TrainedCells.load]): its task's loss over the batches it was loaded
 * with, of all its parameters unless [block] narrows them (`trained.hessian { block("head.") }`).
 */
fun TrainedCells.Trained.hessian(block: HessianBuilder.() -> Unit = {}): HessianOperator {
    val taskLoss = loss()
    val data = batches()
    return hessian(model(), { _, batch -> taskLoss.apply(batch) }) {
        batches(data)
        block.invoke(this)
    }
}

/** The receiver of a [hessian] block: the data, the parameter block and how products are computed. */
@DescentDsl
class HessianBuilder internal constructor(private val model: Module, internal val builder: HessianOperator.Builder) {
    /** One fixed batch. */
    fun batch(batch: Batch) {
        builder.batch(batch)
    }

    /** A fixed list of batches, each weighted by its size. */
    fun batches(batches: List<Batch>) {
        builder.batches(batches)
    }

    /** Epoch 0 of [loader], read afresh at every product; each batch weighted by its size. */
    fun data(loader: DataLoader) {
        builder.data(loader)
    }

    /** The parameters of submodule [prefix] (`"layers.3"` or `"layers.3."`), or the one of that exact name. */
    fun block(prefix: String) {
        builder.block(ParameterBlock.under(model, prefix))
    }

    /** The parameters whose dotted name contains a match of [regex]. */
    fun block(regex: Regex) {
        builder.block(ParameterBlock.matching(model, regex.pattern))
    }

    /** The parameters whose dotted name passes [filter]. */
    fun block(filter: (String) -> Boolean) {
        builder.block(ParameterBlock.where(model, filter, "a filter of hessian { block { } }"))
    }

    /** The parameters of the given dotted names, in that order. */
    fun parameters(vararg names: String) {
        builder.block(ParameterBlock.named(model, names.toList()))
    }

    /** A block built in Java (of the same model). */
    fun block(block: ParameterBlock) {
        builder.block(block)
    }

    /** How the model runs during products: [EVAL] (the default) or [TRAIN_BATCH_STATS_FROZEN]. */
    fun mode(mode: CurvatureMode) {
        builder.mode(mode)
    }

    /** Finite differences of gradients instead of double backprop, with [epsilon] or the dtype's default step. */
    fun finiteDifferences(epsilon: Double? = null) {
        if (epsilon == null) builder.finiteDifferences() else builder.finiteDifferences(epsilon)
    }

    /** Keeps each batch's gradient graph between products (see [HessianOperator.Builder.reuseGraph]). */
    fun reuseGraph(reuse: Boolean = true) {
        builder.reuseGraph(reuse)
    }

    /** Evaluation mode, for `mode(EVAL)`. */
    val EVAL: CurvatureMode get() = CurvatureMode.EVAL

    /** Batch statistics with frozen running statistics, for `mode(TRAIN_BATCH_STATS_FROZEN)`. */
    val TRAIN_BATCH_STATS_FROZEN: CurvatureMode get() = CurvatureMode.TRAIN_BATCH_STATS_FROZEN
}
