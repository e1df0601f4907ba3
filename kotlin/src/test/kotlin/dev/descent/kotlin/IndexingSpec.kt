package dev.descent.kotlin

import dev.descent.autograd.Autograd
import dev.descent.autograd.Variable
import dev.descent.tensor.DType
import dev.descent.tensor.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

// Index expressions on a [3, 4, 5] tensor whose element (i, j, k) is 100 i + 10 j + k, so that every result
// can be checked against the positions it should hold, computed here from the Kotlin ranges themselves.
class IndexingSpec : StringSpec({
    fun cube(): Tensor = Tensor.of(DoubleArray(60) { n -> 100.0 * (n / 20) + 10.0 * (n / 5 % 4) + n % 5 }, 3, 4, 5)

    fun values(t: Tensor) = t.contiguous().toDoubleArray().toList()

    fun expected(i: Iterable<Int>, j: Iterable<Int>, k: Iterable<Int>) =
        i.flatMap { a -> j.flatMap { b -> k.map { c -> 100.0 * a + 10.0 * b + c } } }

    "an Int and a range: x[1, 1..3] keeps the ranged axis and the trailing one" {
        val r = cube()[1, 1..3]
        r.shape().toArray().toList() shouldBe listOf(3, 5)
        values(r) shouldBe expected(listOf(1), 1..3, 0 until 5)
    }

    "until, step and all" {
        val r = cube()[all, 0 until 4 step 2, 4]
        r.shape().toArray().toList() shouldBe listOf(3, 2)
        values(r) shouldBe expected(0 until 3, 0 until 4 step 2, listOf(4))
        values(cube()[0..2 step 2, all, 1..1]) shouldBe expected(listOf(0, 2), 0 until 4, listOf(1))
    }

    "a negative Int counts from the end, as Tensor.get" {
        values(cube()[-1, 0..1]) shouldBe expected(listOf(2), 0..1, 0 until 5)
    }

    "an empty range gives an empty axis" {
        cube()[0, 2 until 2].shape().toArray().toList() shouldBe listOf(0, 5)
    }

    "the result is a view: assignment writes through" {
        val x = cube()
        x[1, 1..2, all] = Tensor.full(DType.FLOAT64, -1.0, 5)
        x[0, 0..0, 0..1] = 7
        val v = values(x)
        for (n in 0 until 60) {
            val (i, j, k) = Triple(n / 20, n / 5 % 4, n % 5)
            val want = when {
                i == 1 && j in 1..2 -> -1.0
                i == 0 && j == 0 && k in 0..1 -> 7.0
                else -> 100.0 * i + 10.0 * j + k
            }
            v[n] shouldBe want
        }
    }

    "bad indices fail naming the axis and the range" {
        shouldThrow<IllegalArgumentException> { cube()[0, 2..4] }.message shouldContain "2..4"
        shouldThrow<IllegalArgumentException> { cube()[3, 0..1] }.message shouldContain "index 3"
        shouldThrow<IllegalArgumentException> { cube()[0, -2..1] }.message shouldContain "axis 1"
        shouldThrow<IllegalArgumentException> { cube()[0, 3 downTo 1] }.message shouldContain "step -1"
        shouldThrow<IllegalArgumentException> { cube()[0, "a"] }.message shouldContain "String"
        shouldThrow<IllegalArgumentException> { cube()[0, 0..1, all, 0] }.message shouldContain "4 indices"
    }

    "Variable indexing is differentiable: the gradient is 1 exactly at the selected positions" {
        val x = Variable.parameter(cube())
        val y = x[1, 1..3, 0 until 5 step 2]
        values(y.value()) shouldBe expected(listOf(1), 1..3, 0 until 5 step 2)
        val g = Autograd.grad(y.sum(), x).value().toDoubleArray()
        for (n in 0 until 60) {
            val (i, j, k) = Triple(n / 20, n / 5 % 4, n % 5)
            g[n] shouldBe (if (i == 1 && j in 1..3 && k % 2 == 0) 1.0 else 0.0)
        }
    }
})
