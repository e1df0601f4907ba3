package dev.descent.kotlin.coroutines

import dev.descent.autograd.Variable
import dev.descent.kotlin.dsl.DescentDsl
import dev.descent.nn.Module
import dev.descent.nn.data.Batch
import dev.descent.nn.data.DataLoader
import dev.descent.optim.Optimizer
import dev.descent.optim.schedule.Scheduler
import dev.descent.tensor.Rng
import java.nio.file.Path
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.Dispatchers

/**
 * A cancellable, resumable training run of [model] with [optimizer] on [loader]'s batches:
 *
 * ```
 * val run = training(model, opt, loader) {
 *     steps = 1_000
 *     loss { b -> F.crossEntropy(model(b.inputs()), b.targets()) }
 *     scheduler = opt.scheduler { warmup(100); cosine(900) }
 *     checkpoint(Path.of("run/checkpoint.safetensors"), every = 200)
 *     rng("model", rng)                                   // dropout's generator, saved and restored
 * }
 * val job = scope.launch { run.train() }              // job.cancel() checkpoints and stops
 * run.progress.collect { println("${it.step}/${it.steps} loss ${it.loss}") }
 * ```
 *
 * @throws IllegalArgumentException if [TrainingBuilder.steps] or the loss is missing, or the loader has no
 *     batches
 */
fun training(model: Module, optimizer: Optimizer, loader: DataLoader, block: TrainingBuilder.() -> Unit): Training =
    TrainingBuilder().apply(block).build(model, optimizer, loader)

/**
 * Trains [model] with [optimizer] on [loader] as [training] describes it, without watching progress:
 * `train(model, opt, loader) { steps = 500; loss { b -> ... } }`. Cancellable; see [Training.train].
 */
suspend fun train(
    model: Module,
    optimizer: Optimizer,
    loader: DataLoader,
    block: TrainingBuilder.() -> Unit,
): TrainingResult = training(model, optimizer, loader, block).train()

/** The receiver of a [training] block. */
@DescentDsl
class TrainingBuilder internal constructor() {
    private var lossFn: ((Batch) -> Variable)? = null
    private var checkpointFile: Path? = null
    private var checkpointEvery = 0L
    private var resume = true
    private val rngs = LinkedHashMap<String, Rng>()

    /** The optimizer steps to take in all (required; counting the steps before a resume). */
    var steps: Long = -1

    /** The schedule to step after each optimizer step, or null. */
    var scheduler: Scheduler? = null

    /** Batches made ahead of the training loop (see [asFlow]); 0 makes them on the loop's own coroutine. */
    var prefetch: Int = 2

    /** Where batches are made ahead. */
    var prefetchContext: CoroutineContext = Dispatchers.IO

    /** The loss of a batch, a scalar that the run differentiates (required). */
    fun loss(fn: (Batch) -> Variable) {
        lossFn = fn
    }

    /**
     * Checkpoints to [file]: on cancellation, at the end, and every [every] steps if positive. With [resume]
     * (the default), a run starts from the file when it exists, so that running again after a cancellation
     * continues where it stopped.
     */
    fun checkpoint(file: Path, every: Long = 0, resume: Boolean = true) {
        require(every >= 0) { "training: checkpoint every must be >= 0 steps, got $every" }
        checkpointFile = file
        checkpointEvery = every
        this.resume = resume
    }

    /** A generator the run uses (dropout, noise) to save in checkpoints as [name] and restore on resume. */
    fun rng(name: String, rng: Rng) {
        require(name.isNotEmpty() && name !in rngs) { "training: rng name '$name' must be non-empty and new" }
        rngs[name] = rng
    }

    internal fun build(model: Module, optimizer: Optimizer, loader: DataLoader): Training {
        require(steps >= 0) { "training: set steps (>= 0), got $steps" }
        val fn = requireNotNull(lossFn) { "training: no loss; add loss { batch -> ... }" }
        require(prefetch >= 0) { "training: prefetch must be >= 0, got $prefetch" }
        require(loader.batchesPerEpoch() > 0) { "training: the loader has no batches in an epoch" }
        val checkpoint = checkpointFile?.let { TrainingCheckpoint(it, checkpointEvery, resume, rngs.toMap()) }
        return Training(model, optimizer, loader, steps, fn, scheduler, checkpoint, prefetch, prefetchContext)
    }
}
