package dev.descent.kotlin

import dev.descent.autograd.Autograd
import dev.descent.autograd.Variable
import dev.descent.tensor.Tensor
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe

// The operators compute what the Java methods compute, and their gradients flow: each expression is
// checked against its value and its derivative worked out by hand at x = [1.5, -2], y = [0.5, 4].
class VariableOperatorsSpec : StringSpec({
    val xs = doubleArrayOf(1.5, -2.0)
    val ys = doubleArrayOf(0.5, 4.0)

    fun check(expr: (Variable, Variable) -> Variable, value: (Double, Double) -> Double, dx: (Double, Double) -> Double) {
        val x = Variable.parameter(Tensor.of(*xs))
        val y = Variable.constant(Tensor.of(*ys))
        val out = expr(x, y)
        val g = Autograd.grad(out.sum(), x).value().toDoubleArray()
        val v = out.value().toDoubleArray()
        for (i in xs.indices) {
            v[i] shouldBe (value(xs[i], ys[i]) plusOrMinus 1e-12)
            g[i] shouldBe (dx(xs[i], ys[i]) plusOrMinus 1e-12)
        }
    }

    "plus" { check({ x, y -> x + y + 2 }, { x, y -> x + y + 2 }, { _, _ -> 1.0 }) }
    "minus" { check({ x, y -> x - y - 2 }, { x, y -> x - y - 2 }, { _, _ -> 1.0 }) }
    "times" { check({ x, y -> x * y * 3 }, { x, y -> 3 * x * y }, { _, y -> 3 * y }) }
    "div" { check({ x, y -> x / y / 2 }, { x, y -> x / y / 2 }, { _, y -> 0.5 / y }) }
    "div by a Double" { check({ x, _ -> x / 4.0 }, { x, _ -> x / 4 }, { _, _ -> 0.25 }) }
    "unary minus" { check({ x, _ -> -x }, { x, _ -> -x }, { _, _ -> -1.0 }) }
    "scalar on the left" {
        check({ x, _ -> 2 + x }, { x, _ -> 2 + x }, { _, _ -> 1.0 })
        check({ x, _ -> 2 - x }, { x, _ -> 2 - x }, { _, _ -> -1.0 })
        check({ x, _ -> 2f * x }, { x, _ -> 2 * x }, { _, _ -> 2.0 })
        check({ x, _ -> 3 / x }, { x, _ -> 3 / x }, { x, _ -> -3 / (x * x) })
    }
    "indexing" {
        val m = Variable.parameter(Tensor.of(doubleArrayOf(1.0, 2.0, 3.0, 4.0), 2, 2))
        m[1, 0].item() shouldBe 3.0
        Autograd.grad(m[1, 0].sum(), m).value().toDoubleArray().toList() shouldBe listOf(0.0, 0.0, 1.0, 0.0)
    }
    "infix matmul: value and gradients" {
        // d/dA sum(A B) = 1 B^T (row sums of B), d/dB sum(A B) = A^T 1 (column sums of A)
        val a = Variable.parameter(Tensor.of(doubleArrayOf(1.0, 2.0, 3.0, 4.0, 5.0, 6.0), 2, 3))
        val b = Variable.parameter(Tensor.of(doubleArrayOf(1.0, -1.0, 0.5, 2.0, -2.0, 0.0), 3, 2))
        val c = a matmul b
        c.value().toDoubleArray().toList() shouldBe listOf(-4.0, 3.0, -5.5, 6.0)
        val g = Autograd.grad(c.sum(), listOf(a, b), false)
        g[0].value().toDoubleArray().toList() shouldBe listOf(0.0, 2.5, -2.0, 0.0, 2.5, -2.0)
        g[1].value().toDoubleArray().toList() shouldBe listOf(5.0, 5.0, 7.0, 7.0, 9.0, 9.0)
    }
})
