package dev.descent.kotlin.examples

import dev.descent.autograd.Functional
import dev.descent.autograd.Variable
import dev.descent.kotlin.get
import dev.descent.nn.functional.F
import dev.descent.tensor.DType
import dev.descent.tensor.Rng
import dev.descent.tensor.Tensor
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import kotlin.math.abs
import kotlin.math.sqrt

// hessianTopEigenpairs against a Hessian with a known spectrum, and against the eigenvalues of the dense
// Hessian of a logistic regression computed by the Jacobi method written here.
class HessianSpectrumSpec : StringSpec({
    "a quadratic's Hessian is its diagonal: the largest magnitudes come first, negative ones included" {
        val a = Tensor.of(3.0, -5.0, 1.0, 0.5)
        val loss = { p: List<Variable> -> p[0].square().mul(Variable.constant(a)).sum().mul(0.5) }
        val pairs = hessianTopEigenpairs(loss, listOf(Tensor.zeros(DType.FLOAT64, 4)), k = 3, iterations = 200, rng = Rng(0))
        pairs.map { it.value }.zip(listOf(-5.0, 3.0, 1.0)).forEach { (got, want) -> got shouldBe (want plusOrMinus 1e-9) }
        pairs.forEach { it.residual shouldBeLessThan 1e-8 }
    }

    "a logistic regression's top eigenvalues match the dense Hessian's" {
        val rng = Rng(2)
        val x = Variable.constant(Tensor.randn(rng, DType.FLOAT64, 30, 4))
        val y = Tensor.randint(rng, 0, 3, 30)
        val w = Tensor.randn(rng, DType.FLOAT64, 3, 4).mul(0.3)
        val b = Tensor.randn(rng, DType.FLOAT64, 3).mul(0.3)
        val loss = { p: List<Variable> -> F.crossEntropy(F.linear(x, p[0], p[1]), y) }
        val flat = Tensor.cat(0, w.reshape(12), b)
        val dense = Functional.hessian({ t -> loss(listOf(t[0 until 12].reshape(3, 4), t[12 until 15])) }, flat)
        val h = Array(15) { i -> DoubleArray(15) { j -> dense.getDouble(i, j) } }
        val want = jacobiEigenvalues(h).sortedByDescending { abs(it) }.take(3)

        val pairs = hessianTopEigenpairs(loss, listOf(w, b), k = 3, iterations = 300, rng = Rng(5))
        for ((i, pair) in pairs.withIndex()) {
            withClue("eigenvalue $i: ${pair.value} vs ${want[i]}") {
                pair.value shouldBe (want[i] plusOrMinus 1e-7 * abs(want[0]))
                pair.residual shouldBeLessThan 1e-5 * abs(want[0])
            }
        }
    }
})

/** The eigenvalues of the symmetric matrix [a] by cyclic Jacobi rotations, each zeroing one off-diagonal pair. */
private fun jacobiEigenvalues(a: Array<DoubleArray>): List<Double> {
    val n = a.size
    val m = Array(n) { a[it].clone() }
    val trace = (0 until n).sumOf { m[it][it] }
    repeat(100) {
        val off = (0 until n).sumOf { i -> (0 until n).filter { it != i }.sumOf { j -> m[i][j] * m[i][j] } }
        if (off < 1e-26) return@repeat
        for (p in 0 until n) for (q in p + 1 until n) {
            if (m[p][q] == 0.0) continue
            val theta = (m[q][q] - m[p][p]) / (2 * m[p][q])
            val t = (if (theta >= 0) 1.0 else -1.0) / (abs(theta) + sqrt(theta * theta + 1))
            val c = 1 / sqrt(t * t + 1)
            val s = t * c
            for (k in 0 until n) {
                val kp = m[k][p]
                val kq = m[k][q]
                m[k][p] = c * kp - s * kq
                m[k][q] = s * kp + c * kq
            }
            for (k in 0 until n) {
                val pk = m[p][k]
                val qk = m[q][k]
                m[p][k] = c * pk - s * qk
                m[q][k] = s * pk + c * qk
            }
        }
    }
    val values = (0 until n).map { m[it][it] }
    values.sum() shouldBe (trace plusOrMinus 1e-10 * maxOf(1.0, abs(trace))) // rotations keep the trace
    return values
}
