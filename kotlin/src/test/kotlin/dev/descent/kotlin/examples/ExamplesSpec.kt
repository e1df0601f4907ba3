package dev.descent.kotlin.examples

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.engine.spec.tempdir
import java.nio.file.Files

// The examples run small: they must work and learn; the warmup sweep must write its study and resume it.
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

    "the warmup sweep runs its grid into a folder, and a second run loads every cell" {
        val dir = tempdir().toPath()
        val grid = smallWarmupGrid(steps = 8)
        val seen = mutableListOf<Int>()
        val first = warmupSweep(dir, grid, jobs = 2) { seen += it.done }
        first.results().map { it.id() } shouldBe listOf("pre-adam-lr1e-2-w0-s1", "pre-adam-lr1e-2-w2-s1",
            "post-adam-lr1e-2-w0-s1", "post-adam-lr1e-2-w2-s1")
        first.trained() shouldBe 4
        seen.last() shouldBe 4
        first.results().forEach { it.stepsRun() shouldBe 8 }
        val table = Files.readAllLines(dir.resolve("results.csv"))
        table.size shouldBe 1 + 4
        val again = warmupSweep(dir, grid, jobs = 1)
        again.reused() shouldBe 4
        again.results().map { it.id() to it.finalLoss() } shouldBe first.results().map { it.id() to it.finalLoss() }
        Files.readAllLines(dir.resolve("results.csv")) shouldBe table
    }
})
