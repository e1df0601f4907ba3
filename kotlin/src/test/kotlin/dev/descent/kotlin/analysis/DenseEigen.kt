package dev.descent.kotlin.analysis

import dev.descent.tensor.Tensor
import kotlin.math.abs
import kotlin.math.sqrt

/** The eigenvalues, ascending, of the symmetric matrix [t] ([n, n]) by cyclic Jacobi rotations: the reference. */
internal fun denseEigenvalues(t: Tensor): List<Double> {
    val n = t.shape().get(0)
    val m = Array(n) { i -> DoubleArray(n) { j -> t.getDouble(i, j) } }
    val trace = (0 until n).sumOf { m[it][it] }
    for (sweep in 0 until 100) {
        val off = (0 until n).sumOf { i -> (0 until n).filter { it != i }.sumOf { j -> m[i][j] * m[i][j] } }
        if (off < 1e-28) break
        for (p in 0 until n) for (q in p + 1 until n) {
            if (m[p][q] != 0.0) rotate(m, p, q)
        }
    }
    val values = (0 until n).map { m[it][it] }
    // rotations keep the trace: a cheap check of the rotation code itself
    check(abs(values.sum() - trace) <= 1e-10 * maxOf(1.0, abs(trace))) { "Jacobi lost the trace" }
    return values.sorted()
}

/** One Jacobi rotation that zeroes m[p][q] and m[q][p]. */
private fun rotate(m: Array<DoubleArray>, p: Int, q: Int) {
    val theta = (m[q][q] - m[p][p]) / (2 * m[p][q])
    val t = (if (theta >= 0) 1.0 else -1.0) / (abs(theta) + sqrt(theta * theta + 1))
    val c = 1 / sqrt(t * t + 1)
    val s = t * c
    for (k in m.indices) {
        val kp = m[k][p]
        val kq = m[k][q]
        m[k][p] = c * kp - s * kq
        m[k][q] = s * kp + c * kq
    }
    for (k in m.indices) {
        val pk = m[p][k]
        val qk = m[q][k]
        m[p][k] = c * pk - s * qk
        m[q][k] = s * pk + c * qk
    }
}
