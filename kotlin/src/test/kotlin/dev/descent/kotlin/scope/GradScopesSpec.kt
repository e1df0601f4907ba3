package dev.descent.kotlin.scope

import dev.descent.autograd.Autograd
import dev.descent.autograd.Variable
import dev.descent.tensor.Tensor
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe
import java.util.concurrent.Executors
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield

class GradScopesSpec : StringSpec({
    val w = Variable.parameter(Tensor.of(1.0, 2.0))

    "noGrad records nothing inside, restores recording after, and returns the block's value" {
        val y = noGrad { w.mul(w) }
        y.requiresGrad() shouldBe false
        Autograd.isGradEnabled() shouldBe true
        w.mul(w).requiresGrad() shouldBe true
    }

    "scopes nest: enableGrad inside noGrad, and an exception still restores" {
        noGrad {
            enableGrad { w.mul(w).requiresGrad() } shouldBe true
            Autograd.isGradEnabled() shouldBe false
        }
        runCatching { noGrad { error("boom") } }.isFailure shouldBe true
        Autograd.isGradEnabled() shouldBe true
    }

    "NoGrad follows a coroutine from thread to thread and leaves each thread's own setting" {
        val pool = Executors.newFixedThreadPool(2)
        val dispatcher = pool.asCoroutineDispatcher()
        try {
            runBlocking(dispatcher) {
                val seen = mutableListOf<Boolean>()
                withContext(NoGrad) {
                    repeat(20) {
                        seen += w.mul(w).requiresGrad() // false on whichever pool thread runs this part
                        yield() // may resume on the other thread
                    }
                }
                seen.toSet() shouldBe setOf(false)
                Autograd.isGradEnabled() shouldBe true
            }
            // every pool thread records again once the coroutine has left it
            val after = List(4) { pool.submit<Boolean> { Autograd.isGradEnabled() }.get() }
            after.toSet() shouldBe setOf(true)
        } finally {
            pool.shutdown()
        }
    }
})
