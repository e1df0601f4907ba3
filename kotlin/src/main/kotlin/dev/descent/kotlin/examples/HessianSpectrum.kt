// The top of a Hessian's spectrum from Hessian-vector products alone (autograd's Functional.hvp, double
// backprop), by power iteration with deflation: the Hessian itself is never formed. The analysis module's
// Lanczos does this properly (all extreme eigenvalues at once, with residuals); this is the short version.
@file:JvmName("HessianSpectrum")

package dev.descent.kotlin.examples

import dev.descent.autograd.Functional
import dev.descent.autograd.Variable
import dev.descent.kotlin.div
import dev.descent.kotlin.dsl.sequential
import dev.descent.kotlin.minus
import dev.descent.kotlin.scope.seeded
import dev.descent.kotlin.times
import dev.descent.nn.data.Bundled
import dev.descent.nn.functional.F
import dev.descent.tensor.DType
import dev.descent.tensor.Rng
import dev.descent.tensor.Tensor
import java.util.Locale

/**
 * An approximate eigenpair of a Hessian: the eigenvalue, the unit eigenvector (one tensor per parameter) and
 * the residual `|H v - value v|`, which is 0 for an exact pair and says how far the iteration got.
 */
class Eigenpair(val value: Double, val vector: List<Tensor>, val residual: Double)

/**
 * The [k] eigenpairs of largest eigenvalue magnitude of the Hessian of [loss] at [params], by power iteration
 * on `H - sum(mu_j u_j u_j^T)` over the pairs found so far, [iterations] products each, from random starts
 * drawn from [rng]. Power iteration converges as `(|mu_2| / |mu_1|)^iterations`: close eigenvalues need many
 * iterations, which the residuals show. Use FLOAT64 parameters: the products are only as accurate as their
 * dtype.
 *
 * @throws IllegalArgumentException if [k] or [iterations] is not positive
 */
fun hessianTopEigenpairs(
    loss: (List<Variable>) -> Variable,
    params: List<Tensor>,
    k: Int,
    iterations: Int,
    rng: Rng,
): List<Eigenpair> {
    require(k >= 1 && iterations >= 1) { "hessianTopEigenpairs: k and iterations must be >= 1, got $k, $iterations" }
    val at = params.map { Variable.constant(it) }
    val hvp = { v: List<Tensor> -> Functional.hvp(loss, at, v) }
    val found = mutableListOf<Eigenpair>()
    repeat(k) {
        var v = normalized(params.map { Tensor.randn(rng, it.dtype(), *it.shape().toArray()) })
        var lambda = 0.0
        repeat(iterations) {
            var w = hvp(v)
            for (pair in found) {
                val c = pair.value * dot(pair.vector, v)
                w = w.zip(pair.vector) { wi, ui -> wi - ui * c }
            }
            lambda = dot(v, w)
            v = normalized(w)
        }
        val r = hvp(v).zip(v) { hv, vi -> hv - vi * lambda }
        found += Eigenpair(lambda, v, Math.sqrt(dot(r, r)))
    }
    return found
}

private fun dot(a: List<Tensor>, b: List<Tensor>): Double = a.zip(b).sumOf { (x, y) -> x.mul(y).sum().item() }

private fun normalized(v: List<Tensor>): List<Tensor> {
    val norm = Math.sqrt(dot(v, v))
    return v.map { it / norm }
}

/**
 * The top three Hessian eigenvalues of the cross-entropy of a freshly initialised `64-16-tanh-10` MLP on 512
 * UCI digits, in FLOAT64: the model is built with the DSL, and the loss is written as a function of its
 * parameter list so that Functional.hvp can differentiate it twice.
 */
fun main() {
    val digits = Bundled.digits()
    val x = digits.inputs().narrow(0, 0, 512).cast(DType.FLOAT64) / 16
    val y = digits.targets().narrow(0, 0, 512)
    val model = seeded(0) { sequential { linear(64, 16); tanh(); linear(16, 10) } }
    model.to(DType.FLOAT64)
    val params = model.parameters().map { it.value() } // 0.weight, 0.bias, 2.weight, 2.bias
    val loss = { p: List<Variable> ->
        val hidden = F.linear(Variable.constant(x), p[0], p[1]).tanh()
        F.crossEntropy(F.linear(hidden, p[2], p[3]), y)
    }
    for ((i, pair) in hessianTopEigenpairs(loss, params, k = 3, iterations = 300, rng = Rng(1)).withIndex()) {
        println(String.format(Locale.ROOT, "eigenvalue %d: %.6f  (residual |Hv - lambda v| = %.1e)", i + 1, pair.value,
            pair.residual))
    }
}
