package dev.descent.kotlin.examples

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import kotlinx.coroutines.Dispatchers

// The examples run small: they must work, learn, and (the sweep) give the same numbers whether its runs go
// one at a time or in parallel.
class ExamplesSpec : StringSpec({
    "the README example learns the digits" {
        readmeExample() shouldBeGreaterThan 0.9
    }

    "the MNIST MLP learns in 60 steps" {
        val seen = mutableListOf<Long>()
        val result = trainMnistMlp(steps = 60, batchSize = 32) { seen += it.step }
        result.steps shouldBe 60
        seen.last() shouldBe 60
        withClue(result) {
            result.finalLoss shouldBeLessThan 1.0 // from ln 10 = 2.3 at the start
            result.testAccuracy shouldBeGreaterThan 0.75
        }
    }

    "the warmup sweep gives the same outcomes in parallel as one run at a time, in config order" {
        val lrs = listOf(1e-2, 3e-2)
        val warmups = listOf(0L, 5L)
        val parallel = warmupSweep(lrs, warmups, steps = 20, parallelism = 2, context = Dispatchers.Default)
        val serial = warmupSweep(lrs, warmups, steps = 20, parallelism = 1, context = Dispatchers.Default)
        parallel.map { it.config } shouldBe lrs.flatMap { lr -> warmups.map { WarmupConfig(lr, it) } }
        parallel shouldBe serial
        // the same weights and first batch: every run's first loss is the same, and the runs then part
        parallel.map { it.losses.first() }.toSet().size shouldBe 1
        parallel[0].losses shouldNotBe parallel[1].losses
    }
})
