package dev.descent.kotlin.coroutines

/** Where a [Training] run is; what [Training.progress] holds. */
enum class TrainingStatus {
    /** [Training.train] has not been called yet. */
    NOT_STARTED,

    /** Steps are being taken. */
    RUNNING,

    /** The run was cancelled; a checkpoint was written at [TrainingProgress.step] if a file was given. */
    CANCELLED,

    /** All steps are done. */
    COMPLETED,

    /** A step threw; the exception was rethrown by [Training.train]. */
    FAILED,
}

/**
 * A snapshot of a training run after a step.
 *
 * @property step optimizer steps done, counting those before a resume
 * @property steps the steps the run is to take in all
 * @property epoch the epoch of the last step's batch
 * @property loss the last step's loss (NaN before the first step of this call)
 * @property lr the learning rate of parameter group 0 during the last step (NaN before the first)
 * @property status where the run is
 */
data class TrainingProgress(
    val step: Long,
    val steps: Long,
    val epoch: Int,
    val loss: Double,
    val lr: Double,
    val status: TrainingStatus,
) {
    /** The fraction of the steps done, in [0, 1]. */
    val fraction: Double get() = if (steps == 0L) 1.0 else step.toDouble() / steps
}

/**
 * What a finished [Training.train] returns.
 *
 * @property steps the steps done in all (the run's total)
 * @property resumedFrom the step this call started from (0, or the checkpoint's step)
 * @property losses the loss of each step this call took, in order
 */
data class TrainingResult(val steps: Long, val resumedFrom: Long, val losses: List<Double>) {
    /** The last step's loss (NaN if this call took no step). */
    val finalLoss: Double get() = losses.lastOrNull() ?: Double.NaN
}
