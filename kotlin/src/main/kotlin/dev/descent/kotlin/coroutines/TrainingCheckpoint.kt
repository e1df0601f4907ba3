package dev.descent.kotlin.coroutines

import dev.descent.nn.Module
import dev.descent.nn.io.Checkpoint
import dev.descent.optim.Optimizer
import dev.descent.optim.schedule.Scheduler
import dev.descent.tensor.Rng
import java.nio.file.Files
import java.nio.file.Path

/**
 * Where and what a [Training] checkpoints: one [Checkpoint] file holding the model, the optimizer's state,
 * the scheduler's state, the named generators and the step, as the `descent train` command writes it.
 */
internal class TrainingCheckpoint(
    val file: Path,
    val every: Long,
    private val resume: Boolean,
    private val rngs: Map<String, Rng>,
) {
    /** Writes the state after [step] steps, atomically (a crash mid-write leaves the previous file). */
    fun save(step: Long, model: Module, optimizer: Optimizer, scheduler: Scheduler?) {
        file.toAbsolutePath().parent?.let { Files.createDirectories(it) }
        val c = Checkpoint.builder().step(step).model(model)
            .optimizer(Checkpoint.State(optimizer.stateTensors(), optimizer.stateScalars()))
        scheduler?.let { c.schedule(Checkpoint.State(mapOf(), it.state())) }
        rngs.forEach { (name, rng) -> c.rng(name, rng) }
        c.build().save(file)
    }

    /** Restores everything from the file when resuming and it exists; returns its step (else 0). */
    fun restore(model: Module, optimizer: Optimizer, scheduler: Scheduler?): Long {
        if (!resume || !Files.exists(file)) return 0
        val c = Checkpoint.load(file)
        c.restoreModel(model)
        optimizer.loadState(c.optimizer().tensors(), c.optimizer().scalars())
        scheduler?.loadState(c.schedule().scalars())
        rngs.forEach { (name, rng) -> c.restoreRng(name, rng) }
        return c.step()
    }
}
