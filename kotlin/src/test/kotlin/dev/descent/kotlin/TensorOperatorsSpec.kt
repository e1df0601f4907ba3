package dev.descent.kotlin

import dev.descent.tensor.DType
import dev.descent.tensor.Rng
import dev.descent.tensor.Tensor
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe

// Each operator against plain arithmetic on the operands' arrays. Operands are a [3, 4] matrix and a [4]
// row (so tensor-tensor operators also broadcast), kept away from zero so that division is well behaved.
class TensorOperatorsSpec : StringSpec({
    val rows = 3
    val cols = 4

    fun operands(dtype: DType): Pair<Tensor, Tensor> {
        val rng = Rng(7)
        val a = Tensor.rand(rng, dtype, rows, cols).add(0.5)
        val b = Tensor.rand(rng, dtype, cols).add(0.5)
        return a to b
    }

    /** Checks [actual] (shape [rows, cols]) against [expected] of each (row, column). */
    fun check(actual: Tensor, expected: (Int, Int) -> Double) {
        actual.shape().toArray().toList() shouldBe listOf(rows, cols)
        val values = actual.toDoubleArray()
        val tolerance = if (actual.dtype() == DType.FLOAT32) 1e-6 else 1e-12
        for (i in 0 until rows) {
            for (j in 0 until cols) {
                val want = expected(i, j)
                withClue("element ($i, $j)") {
                    values[i * cols + j] shouldBe (want plusOrMinus tolerance * maxOf(1.0, Math.abs(want)))
                }
            }
        }
    }

    for (dtype in listOf(DType.FLOAT32, DType.FLOAT64)) {
        val (a, b) = operands(dtype)
        val x = a.toDoubleArray()
        val y = b.toDoubleArray()
        fun x(i: Int, j: Int) = x[i * cols + j]

        "$dtype: tensor + tensor, - , * broadcast" {
            check(a + b) { i, j -> x(i, j) + y[j] }
            check(a - b) { i, j -> x(i, j) - y[j] }
            check(a * b) { i, j -> x(i, j) * y[j] }
        }

        "$dtype: tensor / tensor is Tensor.div itself" {
            check(a / b) { i, j -> x(i, j) / y[j] }
        }

        "$dtype: tensor op scalar, for Double, Float and Int scalars" {
            check(a + 2.5) { i, j -> x(i, j) + 2.5 }
            check(a - 2.5f) { i, j -> x(i, j) - 2.5 }
            check(a * 3) { i, j -> x(i, j) * 3 }
            check(a / 4) { i, j -> x(i, j) / 4 }
            check(a / 0.5f) { i, j -> x(i, j) / 0.5 }
            check(a / 0.5) { i, j -> x(i, j) / 0.5 }
        }

        "$dtype: scalar op tensor, for Double, Float, Int and Long scalars" {
            check(2.5 + a) { i, j -> 2.5 + x(i, j) }
            check(1.5f - a) { i, j -> 1.5 - x(i, j) }
            check(3 * a) { i, j -> 3 * x(i, j) }
            check(2L / a) { i, j -> 2 / x(i, j) }
            check(1.0 - a) { i, j -> 1 - x(i, j) }
            check(1.0 / a) { i, j -> 1 / x(i, j) }
        }

        "$dtype: unary minus" {
            check(-a) { i, j -> -x(i, j) }
        }

        "$dtype: operators compose with Kotlin's precedence" {
            check(2 * a - b / 4 + 1) { i, j -> 2 * x(i, j) - y[j] / 4 + 1 }
        }
    }

    "infix matmul is the matrix product, batched over a leading axis" {
        val rng = Rng(3)
        val a = Tensor.randn(rng, DType.FLOAT64, 2, 3, 4)
        val b = Tensor.randn(rng, DType.FLOAT64, 4, 5)
        val c = a matmul b
        c.shape().toArray().toList() shouldBe listOf(2, 3, 5)
        val x = a.toDoubleArray()
        val y = b.toDoubleArray()
        val z = c.toDoubleArray()
        for (n in 0 until 2) for (i in 0 until 3) for (j in 0 until 5) {
            var want = 0.0
            for (k in 0 until 4) want += x[n * 12 + i * 4 + k] * y[k * 5 + j]
            z[n * 15 + i * 5 + j] shouldBe (want plusOrMinus 1e-12)
        }
    }
})
