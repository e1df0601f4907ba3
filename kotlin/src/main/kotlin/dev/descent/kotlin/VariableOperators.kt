// Kotlin operators for Variable, as TensorOperators.kt gives them for Tensor: Variable.div(Variable),
// Variable.div(double) and Variable.get(int...) already work as `/` and `[]` from Java; this file adds the
// operators whose Java names differ (add, sub, mul, neg), the forms with a scalar on the left, and the infix
// matrix product. Every operator records the same differentiable operation as the Java method it calls.
@file:JvmName("VariableOperators")

package dev.descent.kotlin

import dev.descent.autograd.Variable

/** `this + other`, broadcast ([Variable.add]). */
operator fun Variable.plus(other: Variable): Variable = add(other)

/** `this + s` ([Variable.add]). */
operator fun Variable.plus(s: Number): Variable = add(s.toDouble())

/** `this - other`, broadcast ([Variable.sub]). */
operator fun Variable.minus(other: Variable): Variable = sub(other)

/** `this - s` ([Variable.sub]). */
operator fun Variable.minus(s: Number): Variable = sub(s.toDouble())

/** `this * other`, elementwise and broadcast ([Variable.mul]). */
operator fun Variable.times(other: Variable): Variable = mul(other)

/** `this * s` ([Variable.mul]). */
operator fun Variable.times(s: Number): Variable = mul(s.toDouble())

/** `this / s` for Int, Long and Float divisors; a Double divisor uses [Variable.div] directly. */
operator fun Variable.div(s: Number): Variable = div(s.toDouble())

/** `-this` ([Variable.neg]). */
operator fun Variable.unaryMinus(): Variable = neg()

/** `s + v` ([Variable.add]). */
operator fun Number.plus(v: Variable): Variable = v.add(toDouble())

/** `s - v` ([Variable.rsub]). */
operator fun Number.minus(v: Variable): Variable = v.rsub(toDouble())

/** `s * v` ([Variable.mul]). */
operator fun Number.times(v: Variable): Variable = v.mul(toDouble())

/** `s / v` ([Variable.rdiv]). */
operator fun Number.div(v: Variable): Variable = v.rdiv(toDouble())

/** `a matmul b`: the matrix product, recorded for backward ([Variable.matmul]), written infix. */
infix fun Variable.matmul(other: Variable): Variable = this.matmul(other)
