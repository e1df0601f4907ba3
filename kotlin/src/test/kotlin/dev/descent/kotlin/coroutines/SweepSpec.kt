package dev.descent.kotlin.coroutines

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.StandardTestDispatcher
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest

@OptIn(ExperimentalCoroutinesApi::class) // currentTime
class SweepSpec : StringSpec({
    "at most `parallelism` runs at once, results in the order of the configurations" {
        runTest {
            val active = AtomicInteger()
            val peak = AtomicInteger()
            val configs = (1..6).toList()
            // run c takes 100 (7 - c) virtual ms, so later runs finish first
            val results = sweep(configs, parallelism = 2, context = StandardTestDispatcher(testScheduler)) { c ->
                peak.accumulateAndGet(active.incrementAndGet(), ::maxOf)
                delay(100L * (7 - c))
                active.decrementAndGet()
                c * 10
            }
            results shouldBe configs.map { it * 10 }
            peak.get() shouldBe 2
            // two slots, first come first served: 1 and 2 at 0, 3 at 500, 4 at 600, 5 and 6 at 900, done at 1100
            currentTime shouldBe 1_100
        }
    }

    "a failing run cancels the others and its exception comes out" {
        runTest {
            val cancelled = AtomicInteger()
            shouldThrow<IllegalStateException> {
                sweep(listOf(1, 2, 3), parallelism = 3, context = StandardTestDispatcher(testScheduler)) { c ->
                    try {
                        delay(if (c == 2) 10L else 1_000L)
                        if (c == 2) error("run 2 failed")
                        c
                    } catch (e: CancellationException) {
                        cancelled.incrementAndGet()
                        throw e
                    }
                }
            }.message shouldBe "run 2 failed"
            cancelled.get() shouldBe 2
        }
    }

    "parallelism below 1 is refused" {
        shouldThrow<IllegalArgumentException> { runTest { sweep(listOf(1), parallelism = 0) { it } } }
    }
})
