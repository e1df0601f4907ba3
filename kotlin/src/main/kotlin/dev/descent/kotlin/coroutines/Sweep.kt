// Several runs of a sweep at once, bounded by the number of cores.
@file:JvmName("Sweep")

package dev.descent.kotlin.coroutines

import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit

/**
 * Runs [run] for every configuration of [configs], at most [parallelism] at a time, in [context]
 * ([Dispatchers.Default] by default), and returns the results in the order of [configs] whatever order
 * the runs finish in. A run holds its slot until it returns, even while it is suspended, so no more than
 * [parallelism] runs are ever in progress. If a run throws, the others are cancelled (a [Training] then
 * writes its checkpoint) and the exception is rethrown.
 *
 * Each run should own everything it touches (model, optimizer, generators): runs execute in parallel.
 * Tensor operations split large work across Descent's own threads too (`descent.threads`); for sweeps of
 * small models, running several at once is what fills the cores.
 *
 * @throws IllegalArgumentException if [parallelism] < 1
 */
suspend fun <C, R> sweep(
    configs: List<C>,
    parallelism: Int = Runtime.getRuntime().availableProcessors(),
    context: CoroutineContext = Dispatchers.Default,
    run: suspend (C) -> R,
): List<R> {
    require(parallelism >= 1) { "sweep: parallelism must be >= 1, got $parallelism" }
    val slots = Semaphore(parallelism)
    return coroutineScope {
        configs.map { config -> async(context) { slots.withPermit { run(config) } } }.awaitAll()
    }
}
