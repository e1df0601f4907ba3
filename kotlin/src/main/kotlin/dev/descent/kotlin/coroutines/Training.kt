package dev.descent.kotlin.coroutines

import dev.descent.autograd.Variable
import dev.descent.nn.Module
import dev.descent.nn.data.Batch
import dev.descent.nn.data.DataLoader
import dev.descent.optim.Optimizer
import dev.descent.optim.schedule.Scheduler
import java.nio.file.Path
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.drop
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield

/**
 * A training loop that runs as a coroutine: [train] takes [steps] optimizer steps on the loader's batches
 * (epoch after epoch, prefetched by [asFlow]), reports each step on [progress], and can be cancelled between
 * any two steps. Built by [training]; see there for an example.
 *
 * Each step is `zeroGrad; loss = loss(batch); loss.backward(); optimizer.step(); scheduler.step()`. A step
 * never suspends, so cancellation always finds the model, the optimizer, the scheduler and the generators
 * in the state after a whole number of steps; with a checkpoint file that state is written before the
 * cancellation goes on, and a later [train] (of this object or of a fresh one built the same way) continues
 * from it and computes exactly what the uninterrupted run would have. Data order needs nothing saved: each
 * epoch's order is a function of the loader's seed and the epoch alone.
 */
class Training internal constructor(
    private val model: Module,
    private val optimizer: Optimizer,
    private val loader: DataLoader,
    private val steps: Long,
    private val loss: (Batch) -> Variable,
    private val scheduler: Scheduler?,
    private val checkpoint: TrainingCheckpoint?,
    private val prefetch: Int,
    private val prefetchContext: CoroutineContext,
) {
    private val perEpoch = loader.batchesPerEpoch().toLong()
    private val running = AtomicBoolean()
    private var done = -1L // steps done; -1 until the first train() restores or starts at 0
    private val state = MutableStateFlow(TrainingProgress(0, steps, 0, Double.NaN, Double.NaN, TrainingStatus.NOT_STARTED))

    /** The latest step's progress; collect it to show progress, or read it at any time. */
    val progress: StateFlow<TrainingProgress> = state.asStateFlow()

    /** The checkpoint file, or null when the run keeps none. */
    val checkpointFile: Path? get() = checkpoint?.file

    /**
     * Trains to [steps] steps. The first call starts from the checkpoint file when resuming from one (else
     * at step 0); a later call on the same run continues from where the previous one stopped. On
     * cancellation the state after the last whole step is written to the checkpoint file (if any) and the
     * cancellation is rethrown.
     *
     * @throws IllegalStateException if this run is already training (two loops would share one model)
     */
    suspend fun train(): TrainingResult {
        check(running.compareAndSet(false, true)) { "Training.train: this run is already training" }
        try {
            return trainFromCheckpoint()
        } finally {
            running.set(false)
        }
    }

    private suspend fun trainFromCheckpoint(): TrainingResult {
        if (done < 0) done = checkpoint?.restore(model, optimizer, scheduler) ?: 0L
        val start = done
        require(start <= steps) { "Training.train: the checkpoint is at step $start, past the $steps steps asked" }
        val losses = ArrayList<Double>()
        model.train()
        state.value = state.value.copy(step = done, status = TrainingStatus.RUNNING)
        try {
            while (done < steps) {
                val epoch = (done / perEpoch).toInt()
                val skip = (done % perEpoch).toInt()
                val count = minOf(perEpoch - skip, steps - done).toInt()
                loader.asFlow(prefetch, epoch, prefetchContext).drop(skip).take(count).collect { batch ->
                    val lr = optimizer.paramGroups()[0].options()["lr"] ?: Double.NaN
                    val value = takeStep(batch)
                    done++
                    losses += value
                    state.value = TrainingProgress(done, steps, epoch, value, lr, TrainingStatus.RUNNING)
                    if (checkpoint != null && checkpoint.every > 0 && done % checkpoint.every == 0L && done < steps) {
                        checkpoint.save(done, model, optimizer, scheduler)
                    }
                    yield() // a cancellation point between steps, and a turn for progress observers
                }
            }
        } catch (e: CancellationException) {
            withContext(NonCancellable) { checkpoint?.save(done, model, optimizer, scheduler) }
            state.value = state.value.copy(step = done, status = TrainingStatus.CANCELLED)
            throw e
        } catch (e: Throwable) {
            state.value = state.value.copy(status = TrainingStatus.FAILED)
            throw e
        }
        checkpoint?.save(done, model, optimizer, scheduler)
        state.value = state.value.copy(step = done, status = TrainingStatus.COMPLETED)
        return TrainingResult(done, start, losses)
    }

    private fun takeStep(batch: Batch): Double {
        optimizer.zeroGrad()
        val value = loss(batch)
        require(value.numel() == 1) { "Training: the loss must be a scalar, got shape ${value.shape()}" }
        value.backward()
        optimizer.step()
        scheduler?.step()
        return value.item()
    }
}

