// The README's Kotlin example. The body of readmeExample() is what the README shows, so that the README never
// shows code that does not compile; ReadmeExampleSpec runs it.
@file:JvmName("ReadmeExample")

package dev.descent.kotlin.examples

import dev.descent.kotlin.coroutines.training
import dev.descent.kotlin.div
import dev.descent.kotlin.dsl.adamW
import dev.descent.kotlin.dsl.scheduler
import dev.descent.kotlin.dsl.sequential
import dev.descent.kotlin.invoke
import dev.descent.kotlin.scope.noGrad
import dev.descent.kotlin.scope.seeded
import dev.descent.nn.data.Bundled
import dev.descent.nn.data.DataLoader
import dev.descent.nn.data.TensorDataset
import dev.descent.nn.functional.F
import dev.descent.nn.metrics.Accuracy
import dev.descent.tensor.Rng
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

/** Trains an MLP on the bundled UCI digits for 300 steps, printing progress; returns the training accuracy. */
suspend fun readmeExample(): Double = coroutineScope {
    val digits = Bundled.digits()
    val data = TensorDataset(digits.inputs() / 16, digits.targets())
    val loader = DataLoader.builder(data).batchSize(32).shuffle(Rng(1)).dropLast(true).build()

    val model = seeded(0) { sequential { linear(64, 128); relu(); dropout(0.1); linear(128, 10) } }
    val opt = adamW(model) {
        lr = 3e-3
        group(filter = { it.endsWith("bias") }) { weightDecay = 0.0 }
    }
    val run = training(model, opt, loader) {
        steps = 300
        scheduler = opt.scheduler { warmup(steps = 30); cosine(steps = 270) }
        loss { b -> F.crossEntropy(model(b.inputs()), b.targets()) }
    }
    val printer = launch { run.progress.collect { if (it.step > 0 && it.step % 100 == 0L) println("step ${it.step}: loss ${it.loss}") } }
    run.train()
    printer.cancel()

    val logits = noGrad { model.eval(); model(data.inputs()) }
    Accuracy.of(logits, data.targets()).also { println("training accuracy $it") }
}

/** Runs [readmeExample]. */
fun main() {
    runBlocking { readmeExample() }
}
