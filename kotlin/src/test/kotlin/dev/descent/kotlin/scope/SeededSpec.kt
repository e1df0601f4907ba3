package dev.descent.kotlin.scope

import dev.descent.tensor.Rng
import dev.descent.tensor.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield

class SeededSpec : StringSpec({
    "a seeded block draws what Rng(seed) draws, through its rng and through currentRng" {
        val reference = Rng(42)
        val want = Tensor.randn(reference, 3).toFloatArray().toList() + Tensor.rand(reference, 2).toFloatArray().toList()
        val got = seeded(42) {
            currentRng("test") shouldBe rng
            randn(3).toFloatArray().toList() + Tensor.rand(currentRng("test"), 2).toFloatArray().toList()
        }
        got shouldBe want
    }

    "blocks nest and restore the enclosing generator; outside there is none" {
        currentRngOrNull() shouldBe null
        seeded(1) {
            val outer = rng
            seeded(2) { currentRng("inner") shouldBe rng }
            currentRng("outer") shouldBe outer
        }
        currentRngOrNull() shouldBe null
        shouldThrow<IllegalStateException> { currentRng("sequential") }.message shouldContain "sequential"
    }

    "withRng uses the caller's generator" {
        val rng = Rng(5)
        withRng(rng) { currentRng("x") shouldBe rng }
    }

    "seededContext follows a coroutine across threads and is gone after it" {
        val reference = Rng(9)
        val want = List(8) { reference.nextDouble() }
        val got = runBlocking(Dispatchers.Default) {
            withContext(seededContext(9)) {
                List(8) {
                    yield()
                    currentRng("draw").nextDouble()
                }
            }
        }
        got shouldBe want
        currentRngOrNull() shouldBe null
    }
})
