package dev.descent.kotlin.dsl

import dev.descent.optim.SGD
import dev.descent.tensor.Tensor
import dev.descent.autograd.Variable
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.PI
import kotlin.math.cos
import kotlin.math.pow

// Each schedule against its closed form written out here, phase by phase, at every step of its first 30.
class ScheduleBuilderSpec : StringSpec({
    val base = 2.0

    fun check(s: dev.descent.optim.schedule.LrSchedule, want: (Long) -> Double) {
        for (t in 0L until 30L) {
            withClue("step $t") { s.lr(t, base) shouldBe (want(t) plusOrMinus 1e-12) }
        }
    }

    "warmup from 0, then cosine to a floor" {
        check(schedule { warmup(steps = 4); cosine(steps = 10, etaMin = 0.1) }) { t ->
            if (t < 4) base * t / 4 else 0.1 + (base - 0.1) * (1 + cos(PI * (t - 4) / 10)) / 2
        }
    }

    "warmup from a factor, a constant stretch, then exponential decay for ever" {
        check(schedule { warmup(steps = 4, from = 0.25); constant(steps = 3); exponential(gamma = 0.5) }) { t ->
            when {
                t < 4 -> base * (0.25 + 0.75 * t / 4)
                t < 7 -> base
                else -> base * 0.5.pow((t - 7).toDouble())
            }
        }
    }

    "a single phase is that schedule; step decay and linear" {
        check(schedule { stepDecay(stepSize = 5, gamma = 0.1) }) { t -> base * 0.1.pow((t / 5).toDouble()) }
        check(schedule { linear(steps = 10, from = 1.0, to = 0.5); constant() }) { t ->
            if (t < 10) base * (1.0 - 0.5 * t / 10) else base
        }
    }

    "a scheduler drives the optimizer's groups, any key" {
        val p = Variable.parameter(Tensor.of(1.0))
        val opt = SGD(mapOf("p" to p), 0.4)
        val lr = opt.scheduler { warmup(steps = 2); constant() }
        val wd = opt.scheduler(key = "weight_decay") { constant() }
        opt.paramGroups()[0].get("lr") shouldBe 0.0
        lr.step()
        opt.paramGroups()[0].get("lr") shouldBe 0.2
        lr.step()
        opt.paramGroups()[0].get("lr") shouldBe 0.4
        wd.key() shouldBe "weight_decay"
    }

    "an open phase before the last, an empty schedule and a zero-length phase are errors" {
        shouldThrow<IllegalArgumentException> { schedule { constant(); cosine(5) } }.message shouldContain "phase 0"
        shouldThrow<IllegalArgumentException> { schedule { } }.message shouldContain "no phases"
        shouldThrow<IllegalArgumentException> { schedule { constant(steps = 0) } }.message shouldContain "at least one"
    }
})
