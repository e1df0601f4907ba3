// A small warmup study through the DSL: Pre-LN and Post-LN character LMs on tiny Shakespeare, with and without
// warmup, run by the analysis module (in parallel, resumably) into a folder of tables and plots, with progress
// followed as a StateFlow.
@file:JvmName("WarmupSweep")

package dev.descent.kotlin.examples

import dev.descent.analysis.warmup.StudyResult
import dev.descent.analysis.warmup.WarmupGrid
import dev.descent.kotlin.analysis.WarmupStudyProgress
import dev.descent.kotlin.analysis.study
import dev.descent.kotlin.analysis.warmupStudy
import java.nio.file.Path
import java.util.Locale
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.transformWhile
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

/**
 * A grid that runs in seconds: 2-layer, width-32 LMs (Pre-LN and Post-LN) with Adam at peak lr 1e-2, without
 * warmup and with [steps] / 4 updates of it, one seed, [steps] updates of batch 8 each.
 */
fun smallWarmupGrid(steps: Long = 80): WarmupGrid = warmupStudy {
    task = LM
    norms(PRE, POST)
    peakLrs(1e-2)
    warmups(0, steps / 4)
    optimizers("Adam")
    seeds(1)
    this.steps = steps
    batchSize = 8
    model { dModel = 32; heads = 2; layers = 2; seqLen = 16 }
}

/**
 * Runs [grid] into [folder] on [jobs] threads; [onProgress] follows it (a `StateFlow`, so a slow observer sees the
 * latest state, not every one). Running it again in the same folder loads the finished cells.
 */
suspend fun warmupSweep(
    folder: Path,
    grid: WarmupGrid = smallWarmupGrid(),
    jobs: Int = Runtime.getRuntime().availableProcessors(),
    onProgress: (WarmupStudyProgress) -> Unit = {},
): StudyResult = coroutineScope {
    val study = grid.study(folder, jobs)
    // until every cell is done, so that the last state is seen too
    launch { study.progress.transformWhile { emit(it); it.done < it.total }.collect(onProgress) }
    study.run()
}

/** Runs the small grid into the folder given as the argument (default `runs/warmup-sweep`) and prints the table. */
fun main(args: Array<String>) {
    val folder = Path.of(args.getOrElse(0) { "runs/warmup-sweep" })
    val result = runBlocking { warmupSweep(folder) { p -> p.last?.let { println("${p.done}/${p.total}: ${it.id()}") } } }
    println(String.format(Locale.ROOT, "%-26s %10s  %s", "cell", "final loss", "status"))
    for (r in result.results()) println(String.format(Locale.ROOT, "%-26s %10.4f  %s", r.id(), r.finalLoss(), r.status()))
    println("tables and plots in ${result.folder()}")
}
