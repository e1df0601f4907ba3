package dev.descent.kotlin.coroutines

import dev.descent.nn.data.Batch
import dev.descent.nn.data.DataLoader
import dev.descent.nn.data.Dataset
import dev.descent.tensor.Rng
import dev.descent.tensor.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.advanceUntilIdle
import kotlinx.coroutines.test.runTest

// A loader of 12 examples whose input is their own index, in shuffled batches of 2 (6 per epoch), that counts
// the batches it has made; the expected batches come from the loader's order(epoch), the permutation that
// defines an epoch.
@OptIn(ExperimentalCoroutinesApi::class) // advanceUntilIdle
class BatchFlowSpec : StringSpec({
    val examples = 12
    val batch = 2
    val perEpoch = examples / batch

    fun loader(made: AtomicInteger = AtomicInteger()): DataLoader =
        DataLoader.builder(Dataset.of((0 until examples).toList())) { items: List<Int> ->
            made.incrementAndGet()
            Batch(Tensor.of(*items.map { it.toDouble() }.toDoubleArray()), Tensor.of(*items.map { it.toLong() }.toLongArray()))
        }.batchSize(batch).shuffle(Rng(3)).build()

    fun expected(l: DataLoader, epoch: Int): List<List<Double>> = l.order(epoch).map { it.toDouble() }.chunked(batch)

    fun inputs(b: Batch) = b.inputs().toDoubleArray().toList()

    "the flow gives the epoch's batches in the loader's order, with and without prefetch" {
        for (prefetch in listOf(0, 1, 3)) {
            val l = loader()
            withClue("prefetch $prefetch") {
                runBlocking { l.asFlow(prefetch, epoch = 1).map(::inputs).toList() } shouldBe expected(l, 1)
            }
        }
    }

    "without an epoch, each collection runs the loader's next epoch" {
        val l = loader()
        val flow = l.asFlow(prefetch = 2)
        runBlocking {
            flow.map(::inputs).toList() shouldBe expected(l, 0)
            flow.map(::inputs).toList() shouldBe expected(l, 1)
        }
        l.nextEpoch() shouldBe 2
    }

    "prefetch n: while the collector works, the producer makes exactly n batches ahead, never more" {
        for (n in 1..3) {
            val made = AtomicInteger()
            val l = loader(made)
            runTest {
                val producer = StandardTestDispatcher(testScheduler)
                var received = 0
                l.asFlow(prefetch = n, epoch = 0, context = producer).collect {
                    received++
                    withClue("prefetch $n, batch $received received") {
                        made.get() shouldBeLessThanOrEqual received + n
                        delay(1_000) // the collector is busy; the producer runs as far as it may
                        made.get() shouldBe minOf(received + n, perEpoch)
                    }
                }
                received shouldBe perEpoch
            }
        }
    }

    "prefetch 0 makes each batch only when the collector asks for it" {
        val made = AtomicInteger()
        val l = loader(made)
        runTest {
            var received = 0
            l.asFlow(prefetch = 0, epoch = 0).collect {
                received++
                delay(1_000)
                made.get() shouldBe received
            }
        }
    }

    "a collector that stops early stops the producer" {
        val made = AtomicInteger()
        val l = loader(made)
        runTest {
            val producer = StandardTestDispatcher(testScheduler)
            // toList returns only once the producer, a child of the flow's scope, has been cancelled
            l.asFlow(prefetch = 2, epoch = 0, context = producer).take(2).toList().size shouldBe 2
            advanceUntilIdle()
            made.get() shouldBeLessThanOrEqual 2 + 2
        }
    }

    "a negative prefetch or epoch is refused" {
        shouldThrow<IllegalArgumentException> { loader().asFlow(prefetch = -1) }
        shouldThrow<IllegalArgumentException> { loader().asFlow(epoch = -1) }
    }
})
