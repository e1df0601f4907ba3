// A small warmup study: the same MLP trained on the UCI digits with Adam at several learning rates, with and
// without linear warmup, the runs going in parallel through the coroutine sweep runner.
@file:JvmName("WarmupSweep")

package dev.descent.kotlin.examples

import dev.descent.kotlin.coroutines.sweep
import dev.descent.kotlin.coroutines.train
import dev.descent.kotlin.div
import dev.descent.kotlin.dsl.adam
import dev.descent.kotlin.dsl.scheduler
import dev.descent.kotlin.dsl.sequential
import dev.descent.kotlin.invoke
import dev.descent.kotlin.scope.seeded
import dev.descent.nn.data.Bundled
import dev.descent.nn.data.DataLoader
import dev.descent.nn.data.TensorDataset
import dev.descent.nn.functional.F
import dev.descent.tensor.Rng
import java.util.Locale
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking

/** One run of the study: Adam's learning rate and the warmup length in steps (0: none). */
data class WarmupConfig(val lr: Double, val warmup: Long)

/** A run's outcome: its losses step by step and the mean of the last tenth of them. */
data class WarmupOutcome(val config: WarmupConfig, val losses: List<Double>) {
    /** The mean loss over the last tenth of the steps (at least one). */
    val finalLoss: Double get() = losses.takeLast(maxOf(1, losses.size / 10)).average()
}

/**
 * Trains `64-64-ReLU-10` on the 1,797 UCI digits (pixels / 16) with Adam for [steps] steps per configuration,
 * every lr of [lrs] with every warmup of [warmups] (a linear warmup from 0, then constant), up to
 * [parallelism] runs at once. Every run starts from the same weights (seed [seed]) and sees the same batches,
 * so the configurations differ in nothing else. Outcomes come in the order lr-major, warmup-minor.
 */
suspend fun warmupSweep(
    lrs: List<Double>,
    warmups: List<Long>,
    steps: Long,
    seed: Long = 0,
    parallelism: Int = Runtime.getRuntime().availableProcessors(),
    context: CoroutineContext = Dispatchers.Default,
): List<WarmupOutcome> {
    val digits = Bundled.digits()
    val data = TensorDataset(digits.inputs() / 16, digits.targets())
    val configs = lrs.flatMap { lr -> warmups.map { WarmupConfig(lr, it) } }
    return sweep(configs, parallelism, context) { config -> runOnce(config, data, steps, seed) }
}

private suspend fun runOnce(config: WarmupConfig, data: TensorDataset, steps: Long, seed: Long): WarmupOutcome {
    val model = seeded(seed) { sequential { linear(64, 64); relu(); linear(64, 10) } }
    val opt = adam(model) { lr = config.lr }
    val loader = DataLoader.builder(data).batchSize(32).shuffle(Rng(seed + 1)).dropLast(true).build()
    val result = train(model, opt, loader) {
        this.steps = steps
        prefetch = 0 // the runs themselves fill the cores
        if (config.warmup > 0) scheduler = opt.scheduler { warmup(config.warmup); constant() }
        loss { b -> F.crossEntropy(model(b.inputs()), b.targets()) }
    }
    return WarmupOutcome(config, result.losses)
}

/** Four learning rates, each without warmup and with 50 and 200 steps of it, 600 steps per run; prints a table. */
fun main() {
    val lrs = listOf(1e-3, 3e-3, 1e-2, 3e-2)
    val warmups = listOf(0L, 50L, 200L)
    val outcomes = runBlocking { warmupSweep(lrs, warmups, steps = 600) }
    println("final loss (mean of the last 60 steps)")
    println(String.format(Locale.ROOT, "%-8s%s", "lr", warmups.joinToString("") { String.format(Locale.ROOT, "%12s", "warmup $it") }))
    for ((i, lr) in lrs.withIndex()) {
        val row = outcomes.subList(i * warmups.size, (i + 1) * warmups.size)
        println(String.format(Locale.ROOT, "%-8.0e%s", lr, row.joinToString("") { String.format(Locale.ROOT, "%12.4f", it.finalLoss) }))
    }
}
