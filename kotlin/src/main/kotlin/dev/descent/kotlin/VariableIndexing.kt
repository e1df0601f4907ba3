// Indexing of Variable with ranges and `all` (see Indexing.kt); differentiable, as Variable.select and slice.
@file:JvmName("VariableIndexing")

package dev.descent.kotlin

import dev.descent.autograd.Variable

/**
 * `this[i, a..b, all, ...]`, recorded for backward: an Int selects (negative counts from the end), an
 * [IntRange] or [IntProgression] slices, [all] keeps an axis. Indices of Ints only go to [Variable.get].
 *
 * @throws IllegalArgumentException if an index is out of range, of another type, or there are more indices
 *     than axes
 */
operator fun Variable.get(vararg index: Any): Variable =
    indexWith(this, shape().toArray(), index, Variable::select, Variable::slice)
