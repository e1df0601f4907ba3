// A current random generator, so that builders need not be handed one each: `seeded(42) { sequential { ... } }`.
//
// The Java modules take an explicit Rng everywhere and have no default generator, and this file does not add one
// to them: the "current" generator exists only in this module, only inside a seeded block (or a coroutine given
// seededContext), and only on the thread running it. Outside, asking for it fails, so no result ever depends on
// a generator nobody chose. Like the grad scopes, the block is not inline, so that it cannot suspend and resume
// on a thread where it is not in force; coroutines use seededContext instead.
@file:JvmName("Seeded")

package dev.descent.kotlin.scope

import dev.descent.tensor.Rng
import dev.descent.tensor.Tensor
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.asContextElement

private val current = ThreadLocal<Rng?>()

/** What a [seeded] block sees: its generator, and shorthands for random tensors drawn from it. */
class SeededScope internal constructor(
    /** The generator of this scope, which the builders called inside it use too. */
    val rng: Rng,
) {
    /** Standard normal FLOAT32 values of [shape] from [rng] ([Tensor.randn]). */
    fun randn(vararg shape: Int): Tensor = Tensor.randn(rng, *shape)

    /** Uniform [0, 1) FLOAT32 values of [shape] from [rng] ([Tensor.rand]). */
    fun rand(vararg shape: Int): Tensor = Tensor.rand(rng, *shape)
}

/**
 * Runs [block] with `Rng(seed)` as the current generator of this thread: model builders, layers with
 * dropout and the other DSL functions called inside draw from it, in the order they are called, so the same
 * seed and the same code give the same numbers. The previous current generator (of an enclosing block) is
 * restored afterwards.
 */
fun <T> seeded(seed: Long, block: SeededScope.() -> T): T = withRng(Rng(seed), block)

/** As [seeded], with a generator of the caller's (e.g. one restored from a checkpoint). */
fun <T> withRng(rng: Rng, block: SeededScope.() -> T): T {
    val before = current.get()
    current.set(rng)
    try {
        return SeededScope(rng).block()
    } finally {
        if (before == null) current.remove() else current.set(before)
    }
}

/**
 * The current generator of this thread (of the innermost [seeded] block or [seededContext]).
 *
 * @param op the operation that needs it, named in the error
 * @throws IllegalStateException if there is none: pass a generator explicitly or call inside `seeded(seed) { }`
 */
fun currentRng(op: String): Rng = current.get()
    ?: throw IllegalStateException("$op: no random generator here; pass one (rng = Rng(seed)) or call it inside seeded(seed) { ... }")

/** The current generator of this thread, or null outside every [seeded] block and [seededContext]. */
fun currentRngOrNull(): Rng? = current.get()

/**
 * A coroutine context element that makes `Rng(seed)` the current generator wherever the coroutine runs:
 * `withContext(seededContext(42)) { sequential { ... } }`. Child coroutines inherit the same generator, which
 * is not thread-safe: give coroutines that run in parallel a context of their own.
 */
fun seededContext(seed: Long): CoroutineContext = rngContext(Rng(seed))

/** As [seededContext], with a generator of the caller's. */
fun rngContext(rng: Rng): CoroutineContext = current.asContextElement(rng)
