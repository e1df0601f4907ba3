@file:JvmName("WarmupStudyRuns")

package dev.descent.kotlin.analysis

import dev.descent.analysis.warmup.CellResult
import dev.descent.analysis.warmup.StudyResult
import dev.descent.analysis.warmup.WarmupGrid
import dev.descent.analysis.warmup.WarmupStudy
import java.nio.file.Path
import java.util.concurrent.atomic.AtomicBoolean
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.runInterruptible

/**
 * Where a warmup study is: cells done (loaded or trained) out of [total], of which [trained] were trained by
 * this call and [reused] loaded from the folder, and the cell done last (null before the first).
 */
data class WarmupStudyProgress(val done: Int, val total: Int, val trained: Int, val reused: Int, val last: CellResult?)

/**
 * Runs this grid into [folder] on [jobs] threads and writes the report: [WarmupStudy.run], resumable (finished
 * cells in the folder are loaded, not trained again). [onCell] sees the progress after each cell, from the
 * study's threads, one call at a time.
 */
fun WarmupGrid.run(
    folder: Path,
    jobs: Int = Runtime.getRuntime().availableProcessors(),
    onCell: (WarmupStudyProgress) -> Unit = {},
): StudyResult {
    val counter = ProgressCounter(cells().size)
    return WarmupStudy.run(this, folder, jobs) { result, reused, _, _ -> onCell(counter.add(result, reused)) }
}

/**
 * This grid's study in [folder] on [jobs] threads as a suspending run whose [WarmupStudyRun.progress] is a
 * `StateFlow`:
 *
 * ```
 * val study = warmupStudy { ... }.study(Path.of("runs/warmup"), jobs = 2)
 * launch { study.progress.collect { println("${it.done}/${it.total}") } }
 * val result = study.run()
 * ```
 */
fun WarmupGrid.study(folder: Path, jobs: Int = Runtime.getRuntime().availableProcessors()): WarmupStudyRun =
    WarmupStudyRun(this, folder, jobs)

/**
 * A warmup study as a coroutine: [run] does the work of [WarmupStudy.run] on [Dispatchers.IO] (the study's own
 * pool of `jobs` threads does the training; this only waits for it) and [progress] follows it cell by cell.
 *
 * Cancelling [run] interrupts the study: the cells in flight stop at their next step and are not saved, no
 * more start, and the cancellation goes on. The cells finished before it stay in the folder, so running the
 * study again trains only the rest (the same holds after a crash or a killed JVM).
 */
class WarmupStudyRun internal constructor(
    /** The grid. */
    val grid: WarmupGrid,
    /** The study folder. */
    val folder: Path,
    private val jobs: Int,
) {
    private val total = grid.cells().size
    private val running = AtomicBoolean()
    private val state = MutableStateFlow(WarmupStudyProgress(0, total, 0, 0, null))

    init {
        require(jobs >= 1) { "WarmupStudyRun: jobs must be >= 1, got $jobs" }
    }

    /** The progress of the latest (or current) [run]. */
    val progress: StateFlow<WarmupStudyProgress> = state.asStateFlow()

    /**
     * Runs the study (see the class comment for cancellation) and returns the Java [StudyResult].
     *
     * @throws IllegalStateException if this study is already running (two runs would share one folder)
     */
    suspend fun run(): StudyResult {
        check(running.compareAndSet(false, true)) { "WarmupStudyRun.run: this study is already running in $folder" }
        try {
            return runOnce()
        } finally {
            running.set(false)
        }
    }

    private suspend fun runOnce(): StudyResult {
        state.value = WarmupStudyProgress(0, total, 0, 0, null)
        val counter = ProgressCounter(total)
        return try {
            runInterruptible(Dispatchers.IO) {
                WarmupStudy.run(grid, folder, jobs) { result, reused, _, _ -> state.value = counter.add(result, reused) }
            }
        } catch (e: IllegalStateException) {
            // WarmupStudy turns the interrupt of a cancellation into an IllegalStateException: report the cancellation
            currentCoroutineContext().ensureActive()
            throw e
        }
    }
}

/** Counts cells as the study's listener reports them; the study calls its listener one call at a time. */
private class ProgressCounter(private val total: Int) {
    private var progress = WarmupStudyProgress(0, total, 0, 0, null)

    @Synchronized
    fun add(result: CellResult, reused: Boolean): WarmupStudyProgress {
        val p = progress
        progress = WarmupStudyProgress(p.done + 1, total, p.trained + if (reused) 0 else 1,
            p.reused + if (reused) 1 else 0, result)
        return progress
    }
}
