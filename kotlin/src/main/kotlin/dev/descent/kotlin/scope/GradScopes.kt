// Kotlin forms of Autograd's recording switches: blocks for ordinary code, a context element for coroutines.
//
// Autograd keeps "is recording on" per thread. A block cannot follow a coroutine that suspends inside it and
// resumes on another thread, so the blocks take non-suspending lambdas (they are not inline, which would let a
// suspension in); coroutines use `withContext(NoGrad)`, which sets the switch on every thread the coroutine
// runs on and restores that thread's own setting whenever it leaves it.
@file:JvmName("GradScopes")

package dev.descent.kotlin.scope

import dev.descent.autograd.Autograd
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.ThreadContextElement

/** Runs [block] with recording off on this thread ([Autograd.noGrad]) and restores the previous setting. */
fun <T> noGrad(block: () -> T): T = Autograd.noGrad().use { block() }

/** Runs [block] with recording on on this thread ([Autograd.enableGrad]), e.g. inside [noGrad]. */
fun <T> enableGrad(block: () -> T): T = Autograd.enableGrad().use { block() }

/**
 * A coroutine context element that sets autograd recording to [enabled] on whichever thread the coroutine
 * runs, and gives each thread back its own setting when the coroutine leaves it. Use [NoGrad] for the usual
 * case: `withContext(NoGrad) { evaluate(model) }`.
 */
class GradRecording(val enabled: Boolean) :
    AbstractCoroutineContextElement(Key), ThreadContextElement<Boolean> {

    /** The key of [GradRecording] in a coroutine context. */
    companion object Key : CoroutineContext.Key<GradRecording>

    override fun updateThreadContext(context: CoroutineContext): Boolean = Autograd.setGradEnabled(enabled)

    override fun restoreThreadContext(context: CoroutineContext, oldState: Boolean) {
        Autograd.setGradEnabled(oldState)
    }

    override fun toString(): String = if (enabled) "GradRecording(on)" else "NoGrad"
}

/** Recording off for a coroutine, on every thread it runs on: `withContext(NoGrad) { ... }`. */
val NoGrad: GradRecording = GradRecording(false)
