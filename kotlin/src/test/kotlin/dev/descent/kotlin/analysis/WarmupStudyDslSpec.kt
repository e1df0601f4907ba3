package dev.descent.kotlin.analysis

import dev.descent.analysis.curvature.HessianOperator
import dev.descent.analysis.curvature.ParameterBlock
import dev.descent.analysis.warmup.DivergenceRule
import dev.descent.analysis.warmup.TrainedCells
import dev.descent.analysis.warmup.LrDecay
import dev.descent.analysis.warmup.ModelSize
import dev.descent.analysis.warmup.WarmupGrid
import dev.descent.analysis.warmup.WarmupSettings
import dev.descent.analysis.warmup.WarmupStudy
import dev.descent.analysis.warmup.WarmupTask
import dev.descent.nn.NormPosition
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.nio.file.Path
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch

// The DSL builds exactly the Java grid (every setting, and every default it fills in), and a study run through
// it writes byte for byte the tables of the same study run through WarmupStudy directly.
class WarmupStudyDslSpec : StringSpec({
    val tinySize = ModelSize(16, 2, 2, 32, 8)

    fun javaTiny(steps: Long) = WarmupGrid(listOf(NormPosition.PRE, NormPosition.POST), listOf(3e-3), listOf(0L, 4L),
        listOf("Adam"), listOf(1L), WarmupSettings(WarmupTask.LM, steps, 4, tinySize, LrDecay.CONSTANT, 3.9,
            DivergenceRule(2.5), listOf(0L, 5L), 3, mapOf("eps" to "1e-9"), 6))

    fun dslTiny(steps: Long) = warmupStudy {
        task = LM
        norms(PRE, POST)
        peakLrs(3e-3)
        warmups(0, 4)
        optimizers("adam") // the registry's spelling is "Adam": the Java record resolves it
        seeds(1)
        this.steps = steps
        batchSize = 4
        model { dModel = 16; heads = 2; layers = 2; feedforward = 32; seqLen = 8 }
        decay = CONSTANT
        targetLoss = 3.9
        divergenceFactor = 2.5
        gradientSteps(5, 0)
        window = 3
        optimizerOptions("eps" to "1e-9")
        seq2seqVocabulary = 6
    }

    "every axis and setting written in the block is the Java grid's" {
        dslTiny(10) shouldBe javaTiny(10)
    }

    "what the block leaves out is the task's default grid and settings" {
        warmupStudy { } shouldBe WarmupGrid.defaults(WarmupTask.LM)
        warmupStudy { task = SEQ2SEQ } shouldBe WarmupGrid.defaults(WarmupTask.SEQ2SEQ)
        val d = WarmupGrid.defaults(WarmupTask.SEQ2SEQ)
        // fewer steps than the default window shrink it, as withSteps does; a width alone sets the FF width to 4x
        warmupStudy { task = SEQ2SEQ; steps = 7; norms(POST); decay = INVERSE_SQRT; model { dModel = 32 } } shouldBe
            WarmupGrid(listOf(NormPosition.POST), d.peakLrs(), d.warmups(), d.optimizers(), d.seeds(),
                WarmupSettings.defaults(WarmupTask.SEQ2SEQ).withSteps(7).let {
                    WarmupSettings(it.task(), it.steps(), it.batchSize(), ModelSize(32, 4, 3, 128, 12),
                        LrDecay.INVERSE_SQRT, it.targetLoss(), it.divergence(), it.gradientSteps(), 7,
                        it.optimizerOptions(), it.seq2seqVocabulary())
                })
    }

    "bad values fail in the Java records, naming them" {
        shouldThrow<IllegalArgumentException> { warmupStudy { peakLrs(-1e-3) } }.message shouldContain "peak"
        shouldThrow<IllegalArgumentException> { warmupStudy { warmups(0, 0) } }.message shouldContain "repeats"
        shouldThrow<IllegalArgumentException> { warmupStudy { model { dModel = 10; heads = 3 } } }.message shouldContain
            "dModel 10 is not a multiple of heads 3"
        shouldThrow<IllegalArgumentException> { warmupStudy { optimizers("NoSuchOptimizer") } }
    }

    "a study run through the DSL writes the tables of the same study run through Java" {
        val dir = tempdir().toPath()
        val seen = mutableListOf<WarmupStudyProgress>()
        val viaDsl = dslTiny(6).run(dir.resolve("dsl"), jobs = 2) { synchronized(seen) { seen += it } }
        val viaJava = WarmupStudy.run(javaTiny(6), dir.resolve("java"), 1, null)
        for (file in listOf("results.csv", "summary.csv", "results.json")) {
            Files.readAllBytes(dir.resolve("dsl/$file")) shouldBe Files.readAllBytes(dir.resolve("java/$file"))
        }
        viaDsl.results() shouldBe viaJava.results()
        seen.map { it.done } shouldBe listOf(1, 2, 3, 4)
        seen.last().trained shouldBe 4
        seen.map { it.last }.toSet() shouldBe viaJava.results().toSet()

        // the Hessian of a trained cell: the Java operator over the cell's model, task loss and batches
        val trained = TrainedCells(javaTiny(6).settings(), dir.resolve("dsl"))
            .load(viaDsl.results()[0].cell(), 2)
        val h = trained.hessian { block("head.") }
        val java = HessianOperator.builder(trained.model()) { _, b -> trained.loss().apply(b) }
            .batches(trained.batches()).block(ParameterBlock.under(trained.model(), "head.")).build()
        val v = DoubleArray(h.size()) { kotlin.math.sin(it.toDouble()) }
        h.size() shouldBe 65 * 16 + 65
        h.apply(v).toList() shouldBe java.apply(v).toList()
    }

    "the suspending run reports progress as a StateFlow, and a cancelled study resumes to the same tables" {
        val dir = tempdir().toPath()
        val grid = dslTiny(40)
        val whole = grid.study(dir.resolve("whole"), jobs = 1)
        val states = mutableListOf<WarmupStudyProgress>()
        val watcher = launch { whole.progress.collect { states += it } }
        whole.run()
        whole.progress.first { it.done == it.total }
        watcher.cancel()
        whole.progress.value.let { listOf(it.done, it.total, it.trained, it.reused) } shouldBe listOf(4, 4, 4, 0)
        states.map { it.done }.zipWithNext().all { (a, b) -> b > a } shouldBe true

        val cut = grid.study(dir.resolve("cut"), jobs = 1)
        val job = launch { cut.run() }
        cut.progress.first { it.done >= 1 } // one cell is saved; cancel while the second trains
        job.cancel()
        job.join()
        job.isCancelled shouldBe true
        val resumed = grid.study(dir.resolve("cut"), jobs = 2).run()
        (resumed.reused() in 1..3) shouldBe true
        resumed.trained() shouldBe 4 - resumed.reused()
        read(dir, "cut/results.csv") shouldBe read(dir, "whole/results.csv")
    }
})

private fun read(dir: Path, name: String): String = Files.readString(dir.resolve(name))
