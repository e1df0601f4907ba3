// Index expressions with ranges, shared by Tensor and Variable: `x[0, 1..3]`, `x[all, 0]`, `x[0 until 4 step 2]`.
//
// Java's get(int...) already selects with integers (and Kotlin prefers it when every index is an Int); an
// expression with a range or `all` needs a vararg of mixed types, which only an extension can take. The
// rules follow Kotlin, not Python: a range holds exactly the positions it contains (`1..3` is 1, 2 and 3,
// `1 until 3` is 1 and 2), so a negative or out-of-range endpoint is an error rather than a count from the
// end or a clamp. A single Int may be negative and then counts from the end, as Tensor.get does.
@file:JvmName("Indexing")

package dev.descent.kotlin

/** The whole of an axis in an index expression: `m[all, 0]` is the first column of the matrix `m`. */
object All {
    override fun toString(): String = "all"
}

/** The whole of an axis in an index expression; see [All]. */
val all: All = All

/**
 * Applies [indices] to [value] of shape [dims] axis by axis: an Int selects (the axis goes away), an
 * [IntProgression] with a positive step slices (the axis stays, with as many positions as the progression
 * has), [All] keeps the axis. [select] and [slice] are the value's own select(axis, i) and
 * slice(axis, start, end, step).
 */
internal inline fun <T> indexWith(
    value: T,
    dims: IntArray,
    indices: Array<out Any>,
    select: (T, Int, Int) -> T,
    slice: (T, Int, Int, Int, Int) -> T,
): T {
    require(indices.size <= dims.size) {
        "get: ${indices.size} indices for a value of shape ${dims.contentToString()}"
    }
    var out = value
    var axis = 0 // axis of `out` that the next index applies to
    for ((k, index) in indices.withIndex()) {
        val size = dims[k]
        when (index) {
            is Int -> {
                require(index in -size until size) {
                    "get: index $index is out of range for axis $k of size $size (shape ${dims.contentToString()})"
                }
                out = select(out, axis, index)
            }
            is IntProgression -> {
                checkProgression(index, k, size, dims)
                out = if (index.isEmpty()) slice(out, axis, 0, 0, 1)
                else slice(out, axis, index.first, index.last + 1, index.step)
                axis++
            }
            is All -> axis++
            else -> throw IllegalArgumentException(
                "get: index $k is a ${index::class.simpleName} ($index); expected an Int, an IntRange or " +
                    "IntProgression, or `all`"
            )
        }
    }
    return out
}

private fun checkProgression(p: IntProgression, k: Int, size: Int, dims: IntArray) {
    require(p.step > 0) {
        "get: the progression $p for axis $k has step ${p.step}; only increasing progressions make a view"
    }
    require(p.isEmpty() || (p.first in 0 until size && p.last in 0 until size)) {
        "get: the range $p is out of range for axis $k of size $size (shape ${dims.contentToString()}); " +
            "ranges hold the positions they contain and do not count from the end"
    }
}
