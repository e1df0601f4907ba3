// Kotlin operators for Tensor that its Java methods cannot provide.
//
// Kotlin treats a Java method as an operator only when it has the operator's name: Tensor.div(Tensor),
// Tensor.div(double) and Tensor.get(int...) already work as `/` and `[]`, so they are not repeated here.
// Java's add/sub/mul/neg are not operator names, and an operator with the scalar on the left can only be
// an extension; those are what this file adds. Scalars are any Number (Int, Long, Float, Double), converted
// with toDouble() as Tensor's scalar methods take them; a Double divisor still reaches Tensor.div(double).
// Java methods cannot be called infix, so the matrix product gets an infix extension of the same name, which
// Kotlin picks for `a matmul b` (a plain call `a.matmul(b)` still reaches the member).
@file:JvmName("TensorOperators")

package dev.descent.kotlin

import dev.descent.tensor.Tensor

/** `this + other`, broadcast ([Tensor.add]). */
operator fun Tensor.plus(other: Tensor): Tensor = add(other)

/** `this + s` ([Tensor.add]). */
operator fun Tensor.plus(s: Number): Tensor = add(s.toDouble())

/** `this - other`, broadcast ([Tensor.sub]). */
operator fun Tensor.minus(other: Tensor): Tensor = sub(other)

/** `this - s` ([Tensor.sub]). */
operator fun Tensor.minus(s: Number): Tensor = sub(s.toDouble())

/** `this * other`, elementwise and broadcast ([Tensor.mul]). */
operator fun Tensor.times(other: Tensor): Tensor = mul(other)

/** `this * s` ([Tensor.mul]). */
operator fun Tensor.times(s: Number): Tensor = mul(s.toDouble())

/** `this / s` for Int, Long and Float divisors; a Double divisor uses [Tensor.div] directly. */
operator fun Tensor.div(s: Number): Tensor = div(s.toDouble())

/** `-this` ([Tensor.neg]). */
operator fun Tensor.unaryMinus(): Tensor = neg()

/** `s + t` ([Tensor.add]). */
operator fun Number.plus(t: Tensor): Tensor = t.add(toDouble())

/** `s - t` ([Tensor.rsub]). */
operator fun Number.minus(t: Tensor): Tensor = t.rsub(toDouble())

/** `s * t` ([Tensor.mul]). */
operator fun Number.times(t: Tensor): Tensor = t.mul(toDouble())

/** `s / t` ([Tensor.rdiv]). */
operator fun Number.div(t: Tensor): Tensor = t.rdiv(toDouble())

/** `a matmul b`: the matrix product, batched and broadcast over leading axes ([Tensor.matmul]), written infix. */
infix fun Tensor.matmul(other: Tensor): Tensor = this.matmul(other)
