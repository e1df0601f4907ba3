// An MLP on the bundled MNIST subset (8,000 training and 2,000 test digits), trained by a coroutine.
@file:JvmName("MnistMlp")

package dev.descent.kotlin.examples

import dev.descent.kotlin.coroutines.TrainingProgress
import dev.descent.kotlin.coroutines.training
import dev.descent.kotlin.dsl.adamW
import dev.descent.kotlin.dsl.scheduler
import dev.descent.kotlin.dsl.sequential
import dev.descent.kotlin.invoke
import dev.descent.kotlin.scope.noGrad
import dev.descent.kotlin.scope.withRng
import dev.descent.nn.data.Bundled
import dev.descent.nn.data.DataLoader
import dev.descent.nn.functional.F
import dev.descent.nn.metrics.Accuracy
import dev.descent.tensor.Rng
import java.util.Locale
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

/**
 * What [trainMnistMlp] reports: the steps taken, the mean training loss of the last ten steps (one batch's
 * loss is noisy) and the accuracy on the 2,000 test digits.
 */
data class MnistResult(val steps: Long, val finalLoss: Double, val testAccuracy: Double)

/**
 * Trains `784-256-ReLU-Dropout(0.1)-10` with AdamW (no weight decay on biases), a 10% linear warmup and a
 * cosine decay, batch [batchSize], for [steps] steps; [onProgress] sees each step's progress.
 */
suspend fun trainMnistMlp(
    steps: Long = 500,
    batchSize: Int = 64,
    seed: Long = 0,
    onProgress: (TrainingProgress) -> Unit = {},
): MnistResult = coroutineScope {
    val train = Bundled.mnistTrain().reshapeInputs(784)
    val test = Bundled.mnistTest().reshapeInputs(784)
    val rng = Rng(seed)
    val model = withRng(rng) { sequential { linear(784, 256); relu(); dropout(0.1); linear(256, 10) } }
    val opt = adamW(model) {
        lr = 1e-3
        group(filter = { it.endsWith("bias") }) { weightDecay = 0.0 }
    }
    val loader = DataLoader.builder(train).batchSize(batchSize).shuffle(Rng(seed + 1)).dropLast(true).build()
    val warmupSteps = maxOf(1L, steps / 10)
    val run = training(model, opt, loader) {
        this.steps = steps
        scheduler = opt.scheduler { warmup(warmupSteps); cosine(maxOf(1L, steps - warmupSteps)) }
        loss { b -> F.crossEntropy(model(b.inputs()), b.targets()) }
        rng("model", rng)
    }
    val watcher = launch { run.progress.collect { onProgress(it) } }
    val result = run.train()
    watcher.cancel()
    val accuracy = noGrad { model.eval(); Accuracy.of(model(test.inputs()), test.targets()) }
    MnistResult(result.steps, result.losses.takeLast(10).average(), accuracy)
}

/** Trains for 500 steps (four epochs of batch 64), printing progress every 50 steps and the test accuracy. */
fun main() {
    val result = runBlocking {
        trainMnistMlp { p ->
            if (p.step % 50 == 0L && p.step > 0) {
                println(String.format(Locale.ROOT, "step %4d/%d  loss %.4f  lr %.2e", p.step, p.steps, p.loss, p.lr))
            }
        }
    }
    println(String.format(Locale.ROOT, "test accuracy %.4f after %d steps", result.testAccuracy, result.steps))
}
