package dev.descent.kotlin.dsl

import dev.descent.optim.Optimizer
import dev.descent.optim.schedule.LrSchedule
import dev.descent.optim.schedule.Scheduler
import dev.descent.optim.schedule.Schedules

/**
 * A schedule of phases that follow each other, each running its own schedule from its own step 0 (torch's
 * `SequentialLR`, [Schedules.sequential]):
 *
 * ```
 * val s = schedule { warmup(steps = 100); cosine(steps = 900, etaMin = 1e-5) }
 * ```
 *
 * Every phase but the last needs a length; the last runs on for ever (a cosine past its end continues as
 * torch's does). Values are multiples of the group's base value, except where a phase names an absolute
 * floor (`etaMin`).
 *
 * @throws IllegalArgumentException if there are no phases, a phase other than the last has no length, or a
 *     phase's own schedule rejects its arguments (its message is passed on)
 */
fun schedule(block: ScheduleBuilder.() -> Unit): LrSchedule = ScheduleBuilder().apply(block).build()

/** A [Scheduler] driving hyperparameter [key] (the learning rate by default) of this optimizer by [schedule]. */
fun Optimizer.scheduler(key: String = "lr", block: ScheduleBuilder.() -> Unit): Scheduler =
    Scheduler(this, schedule(block), key)

/** The receiver of a [schedule] block: each function appends one phase. */
@DescentDsl
class ScheduleBuilder internal constructor() {
    private val phases = mutableListOf<Pair<Long?, LrSchedule>>()

    /** A phase of [steps] steps (null: to the end) following [schedule], any [LrSchedule]. */
    fun phase(steps: Long?, schedule: LrSchedule) {
        require(steps == null || steps > 0) { "schedule: a phase must last at least one step, got $steps" }
        phases += steps to schedule
    }

    /**
     * Linear warmup over [steps] steps from [from] times the base value towards the base value: from 0, the
     * multiplier is `t / steps` (Hugging Face's warmup, 0 at the first update); from a positive factor it is
     * torch's `LinearLR(from, 1, steps)`.
     */
    fun warmup(steps: Long, from: Double = 0.0) = phase(
        steps,
        if (from == 0.0) Schedules.hfLinearWithWarmup(steps, steps) else Schedules.linear(from, 1.0, steps),
    )

    /** The base value, for [steps] steps (null: to the end). */
    fun constant(steps: Long? = null) = phase(steps, Schedules.constant())

    /** Cosine annealing from the base value to [etaMin] over [steps] steps (torch's `CosineAnnealingLR`). */
    fun cosine(steps: Long, etaMin: Double = 0.0) = phase(steps, Schedules.cosine(steps, etaMin))

    /** A linear change of the multiplier from [from] to [to] over [steps] steps (torch's `LinearLR`). */
    fun linear(steps: Long, from: Double, to: Double) = phase(steps, Schedules.linear(from, to, steps))

    /** The base value times [gamma] every [stepSize] steps (torch's `StepLR`), for [steps] steps (null: to the end). */
    fun stepDecay(stepSize: Long, gamma: Double, steps: Long? = null) = phase(steps, Schedules.step(stepSize, gamma))

    /** The base value times `gamma^t` (torch's `ExponentialLR`), for [steps] steps (null: to the end). */
    fun exponential(gamma: Double, steps: Long? = null) = phase(steps, Schedules.exponential(gamma))

    internal fun build(): LrSchedule {
        require(phases.isNotEmpty()) { "schedule: no phases; add at least one (warmup, constant, cosine, ...)" }
        val open = phases.dropLast(1).indexOfFirst { it.first == null }
        require(open < 0) { "schedule: phase $open of ${phases.size} has no length; only the last may run to the end" }
        if (phases.size == 1) return phases[0].second
        val milestones = phases.dropLast(1).runningFold(0L) { end, p -> end + p.first!! }.drop(1)
        return Schedules.sequential(phases.map { it.second }, *milestones.toLongArray())
    }
}
