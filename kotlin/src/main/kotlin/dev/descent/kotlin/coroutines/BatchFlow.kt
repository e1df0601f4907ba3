// A DataLoader's epoch as a Flow of batches, made ahead on a background dispatcher.
@file:JvmName("BatchFlow")

package dev.descent.kotlin.coroutines

import dev.descent.nn.data.Batch
import dev.descent.nn.data.DataLoader
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.buffer
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.flowOn

/**
 * The batches of one epoch as a cold [Flow]: each collection runs the loader's next epoch (as iterating the
 * loader does), or epoch [epoch] when it is given (for resuming; the loader's epoch counter is then left
 * alone). The batches are the ones the loader itself gives, in its order.
 *
 * With [prefetch] = n > 0, batches are made in [context] (a background dispatcher; [Dispatchers.IO] by
 * default, so that batch making never takes a thread from computation on [Dispatchers.Default]) while the
 * collector works on earlier ones, and at most n batches are ever made beyond those the collector has
 * received: n - 1 wait in a buffer and one more waits to be handed over. With 0, each batch is made on the
 * collector's own coroutine when it asks for it. Cancelling the collector stops the producer and closes the
 * loader's iterator.
 *
 * Build the loader without a prefetch of its own: this flow does the prefetching, and a loader's prefetch
 * would add a thread of its own on top.
 *
 * @throws IllegalArgumentException if [prefetch] or [epoch] is negative
 */
fun DataLoader.asFlow(prefetch: Int = 2, epoch: Int? = null, context: CoroutineContext = Dispatchers.IO): Flow<Batch> {
    require(prefetch >= 0) { "asFlow: prefetch must be >= 0 batches, got $prefetch" }
    require(epoch == null || epoch >= 0) { "asFlow: epoch must be >= 0, got $epoch" }
    val batches = flow {
        val iterator = if (epoch == null) iterator() else epoch(epoch).iterator()
        try {
            while (iterator.hasNext()) {
                emit(iterator.next())
            }
        } finally {
            (iterator as? AutoCloseable)?.close()
        }
    }
    // a channel of capacity n - 1 plus the one batch its producer holds while suspended in send: n ahead
    return if (prefetch == 0) batches else batches.buffer(prefetch - 1).flowOn(context)
}
