package dev.descent.kotlin.coroutines

import dev.descent.kotlin.dsl.adamW
import dev.descent.kotlin.dsl.scheduler
import dev.descent.kotlin.dsl.sequential
import dev.descent.kotlin.dsl.shouldHaveSameState
import dev.descent.kotlin.invoke
import dev.descent.nn.Sequential
import dev.descent.nn.data.DataLoader
import dev.descent.nn.data.TensorDataset
import dev.descent.nn.functional.F
import dev.descent.nn.io.Checkpoint
import dev.descent.optim.Optimizer
import dev.descent.tensor.Rng
import dev.descent.tensor.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import java.nio.file.Path
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.runTest

// A small MLP with dropout trained with AdamW, a warmup-cosine schedule and shuffled batches: 40 examples in
// batches of 8 (5 per epoch), 17 steps, so that runs cross epochs and stop mid-epoch. Everything random
// (weights, dropout masks, data order) must come back exactly on resume.
class TrainingSpec : StringSpec({
    val steps = 17L
    val dir = tempdir().toPath()
    val data = TensorDataset(Tensor.randn(Rng(100), 40, 5), Tensor.randint(Rng(101), 0, 3, 40))

    class Setup(val run: Training, val model: Sequential, val opt: Optimizer)

    fun setup(context: CoroutineContext, file: Path? = null, every: Long = 0): Setup {
        val rng = Rng(1)
        val model = sequential(rng) { linear(5, 8); relu(); dropout(0.2); linear(8, 3) }
        val opt = adamW(model) { lr = 0.05; group(filter = { it.endsWith("bias") }) { weightDecay = 0.0 } }
        val loader = DataLoader.builder(data).batchSize(8).shuffle(Rng(7)).dropLast(true).build()
        val run = training(model, opt, loader) {
            this.steps = steps
            scheduler = opt.scheduler { warmup(3); cosine(20) }
            loss { b -> F.crossEntropy(model(b.inputs()), b.targets()) }
            rng("model", rng)
            prefetch = 2
            prefetchContext = context
            if (file != null) checkpoint(file, every)
        }
        return Setup(run, model, opt)
    }

    "cancelled mid-run it checkpoints the last whole step; a fresh run resumes and matches bit for bit" {
        val file = dir.resolve("cancel/run/checkpoint.safetensors")
        runTest {
            val producer = StandardTestDispatcher(testScheduler)
            val reference = setup(producer)
            val all = reference.run.train().losses

            val first = setup(producer, file)
            val job = launch { first.run.train() }
            first.run.progress.first { it.step >= 7 }
            job.cancelAndJoin()
            first.run.progress.value.status shouldBe TrainingStatus.CANCELLED
            Checkpoint.load(file).step() shouldBe 7 // the step boundary right after the one observed

            val second = setup(producer, file)
            val result = second.run.train()
            result.resumedFrom shouldBe 7
            result.steps shouldBe steps
            result.losses shouldBe all.drop(7)
            shouldHaveSameState(second.model, reference.model)
            val a = second.opt.stateTensors()
            val b = reference.opt.stateTensors()
            a.keys shouldBe b.keys
            for (k in a.keys) a.getValue(k).toDoubleArray().toList() shouldBe b.getValue(k).toDoubleArray().toList()
            second.opt.stateScalars() shouldBe reference.opt.stateScalars()
        }
    }

    "without a file, training the cancelled run again continues in memory to the same result" {
        runTest {
            val producer = StandardTestDispatcher(testScheduler)
            val reference = setup(producer)
            reference.run.train()
            val s = setup(producer)
            val job = launch { s.run.train() }
            s.run.progress.first { it.step >= 4 }
            job.cancelAndJoin()
            s.run.train().resumedFrom shouldBe 4
            shouldHaveSameState(s.model, reference.model)
        }
    }

    "progress reports every step with its loss and learning rate, then COMPLETED" {
        runTest {
            val s = setup(StandardTestDispatcher(testScheduler))
            s.run.progress.value.status shouldBe TrainingStatus.NOT_STARTED
            val seen = mutableListOf<TrainingProgress>()
            val watcher = launch { s.run.progress.collect { seen += it } }
            val result = s.run.train()
            watcher.cancel()
            val steps = seen.filter { it.status == TrainingStatus.RUNNING && it.step > 0 }
            steps.map { it.step } shouldBe (1L..17L).toList()
            steps.map { it.loss } shouldBe result.losses
            steps.map { it.epoch } shouldBe (0 until 17).map { it / 5 }
            steps[0].lr shouldBe 0.0 // warmup from 0: the first update has lr 0
            steps[1].lr shouldBe (0.05 / 3 plusOrMinus 1e-15)
            s.run.progress.value.status shouldBe TrainingStatus.COMPLETED
            s.run.progress.value.fraction shouldBe 1.0
        }
    }

    "with every = 5 the file holds step 5 after step 6, and the last step at the end" {
        val file = dir.resolve("every/checkpoint.safetensors")
        runTest {
            val s = setup(StandardTestDispatcher(testScheduler), file, every = 5)
            val job = launch { s.run.train() }
            s.run.progress.first { it.step >= 6 }
            Checkpoint.load(file).step() shouldBe 5
            job.join()
            Checkpoint.load(file).step() shouldBe steps
            // running again finds the run complete and takes no step
            setup(StandardTestDispatcher(testScheduler), file).run.train().losses shouldBe emptyList()
        }
    }

    "a loss that is not a scalar fails the run, and the status says so" {
        runTest {
            val s = setup(StandardTestDispatcher(testScheduler))
            val model = s.model
            val loader = DataLoader.builder(data).batchSize(8).build()
            val bad = training(model, s.opt, loader) { this.steps = 2; loss { b -> model(b.inputs()) } }
            shouldThrow<IllegalArgumentException> { bad.train() }
            bad.progress.value.status shouldBe TrainingStatus.FAILED
        }
    }

    "missing steps or loss are named" {
        val s = setup(StandardTestDispatcher())
        val loader = DataLoader.builder(data).batchSize(8).build()
        shouldThrow<IllegalArgumentException> { training(s.model, s.opt, loader) { loss { b -> s.model(b.inputs()).sum() } } }
        shouldThrow<IllegalArgumentException> { training(s.model, s.opt, loader) { this.steps = 3 } }
    }
})

