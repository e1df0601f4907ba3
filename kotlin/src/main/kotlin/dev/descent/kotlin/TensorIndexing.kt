// Indexing of Tensor with ranges and `all` (see Indexing.kt), and assignment through the same expressions.
@file:JvmName("TensorIndexing")

package dev.descent.kotlin

import dev.descent.tensor.Tensor

/**
 * The view `this[i, a..b, all, ...]`: an Int selects (negative counts from the end), an [IntRange] or
 * [IntProgression] slices, [all] keeps an axis; trailing axes are kept. Indices of Ints only go to
 * [Tensor.get] itself.
 *
 * @throws IllegalArgumentException if an index is out of range, of another type, or there are more indices
 *     than axes
 */
operator fun Tensor.get(vararg index: Any): Tensor =
    indexWith(this, shape().toArray(), index, Tensor::select, Tensor::slice)

/** `this[i, a..b, ...] = value`: copies [value], broadcast to the view's shape, into the view ([Tensor.copy_]). */
operator fun Tensor.set(vararg index: Any, value: Tensor) {
    get(*index).copy_(value)
}

/** `this[i, a..b, ...] = s`: sets every element of the view to [s] ([Tensor.fill_]). */
operator fun Tensor.set(vararg index: Any, value: Number) {
    get(*index).fill_(value.toDouble())
}
