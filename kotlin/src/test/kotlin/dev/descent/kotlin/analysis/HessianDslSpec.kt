package dev.descent.kotlin.analysis

import dev.descent.analysis.curvature.CurvatureMode
import dev.descent.analysis.curvature.HessianOperator
import dev.descent.analysis.curvature.HvpMethod
import dev.descent.analysis.curvature.LossFunction
import dev.descent.analysis.curvature.ParameterBlock
import dev.descent.analysis.spectrum.Hutchinson
import dev.descent.analysis.spectrum.Lanczos
import dev.descent.analysis.spectrum.Probe
import dev.descent.analysis.spectrum.SpectralDensity
import dev.descent.analysis.spectrum.StochasticLanczosQuadrature
import dev.descent.analysis.spectrum.Which
import dev.descent.autograd.Functional
import dev.descent.autograd.Variable
import dev.descent.kotlin.dsl.sequential
import dev.descent.kotlin.get
import dev.descent.kotlin.scope.seeded
import dev.descent.nn.Sequential
import dev.descent.nn.data.Batch
import dev.descent.nn.functional.F
import dev.descent.tensor.DType
import dev.descent.tensor.Rng
import dev.descent.tensor.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.abs

// hessian { } against HessianOperator.builder with the same options, its products against the dense Hessian of
// autograd's Functional.hessian, and the solver helpers against the Java solvers called directly and against the
// dense Hessian's eigenvalues (Jacobi, written in DenseEigen.kt).
class HessianDslSpec : StringSpec({
    // a 4-3-tanh-3 classifier in FLOAT64 on 30 random examples: 27 parameters, a Hessian small enough to write out
    val rng = Rng(2)
    val x = Tensor.randn(rng, DType.FLOAT64, 30, 4)
    val y = Tensor.randint(rng, 0, 3, 30)
    val batch = Batch(x, y)
    val model: Sequential = seeded(1) { sequential { linear(4, 3); tanh(); linear(3, 3) } }.also { it.to(DType.FLOAT64) }
    val loss = LossFunction.crossEntropy()
    val n = 27

    // the same loss as a function of the flat parameter vector, in ParameterBlock.all's layout
    val flat = Tensor.cat(0, *model.parameters().map { it.value().reshape(-1) }.toTypedArray())
    val dense = Functional.hessian({ t ->
        val hidden = F.linear(Variable.constant(x), t[0 until 12].reshape(3, 4), t[12 until 15]).tanh()
        F.crossEntropy(F.linear(hidden, t[15 until 24].reshape(3, 3), t[24 until 27]), y)
    }, flat)
    val eigenvalues = denseEigenvalues(dense)

    fun unit(i: Int, size: Int) = DoubleArray(size).also { it[i] = 1.0 }

    "the block builds the operator the Java builder builds" {
        val java = HessianOperator.builder(model, loss).batch(batch).block(ParameterBlock.under(model, "2."))
            .mode(CurvatureMode.TRAIN_BATCH_STATS_FROZEN).build()
        val dsl = hessian(model, loss) { batch(batch); block("2."); mode(TRAIN_BATCH_STATS_FROZEN) }
        dsl.toString() shouldBe java.toString()
        val v = DoubleArray(12) { it - 5.5 }
        dsl.apply(v).toList() shouldBe java.apply(v).toList()
        for (same in listOf<HessianBuilder.() -> Unit>({ block(Regex("^2\\.")) }, { block { it.startsWith("2.") } },
            { parameters("2.weight", "2.bias") }, { block(ParameterBlock.under(model, "2")) })) {
            hessian(model, loss) { batches(listOf(batch)); same() }.block().names() shouldBe listOf("2.weight", "2.bias")
        }
        hessian(model, loss) { batch(batch); finiteDifferences() }.method() shouldBe HvpMethod.FINITE_DIFFERENCE
        hessian(model, loss) { batch(batch) }.mode() shouldBe CurvatureMode.EVAL
        shouldThrow<IllegalArgumentException> { hessian(model, loss) { block("0.") } }.message shouldContain "no data"
        shouldThrow<IllegalArgumentException> { hessian(model, loss) { batch(batch); block("9.") } }
    }

    "its products are the dense Hessian's columns, of all parameters or of a block" {
        val all = hessian(model, loss) { batch(batch) }
        val last = hessian(model, loss) { batch(batch); block("2.") }
        all.size() shouldBe n
        for (j in 0 until n) {
            val col = all.apply(unit(j, n))
            for (i in 0 until n) withClue("H[$i, $j]") { col[i] shouldBe (dense.getDouble(i, j) plusOrMinus 1e-12) }
        }
        for (j in 0 until 12) {
            val col = last.apply(unit(j, 12))
            for (i in 0 until 12) col[i] shouldBe (dense.getDouble(15 + i, 15 + j) plusOrMinus 1e-12)
        }
    }

    "topEigenvalues is the Java Lanczos result and the dense Hessian's top eigenvalues" {
        val h = hessian(model, loss) { batch(batch) }
        val top = h.topEigenvalues(3, rng = Rng(7))
        top shouldBe Lanczos.forTopK(3, n).topK(h, 3, Which.LARGEST_ALGEBRAIC, false, Rng(7)).values().toList()
        seeded(7) { h.topEigenvalues(3) } shouldBe top // the current generator of a seeded block by default
        top.zip(eigenvalues.reversed()).forEach { (got, want) -> got shouldBe (want plusOrMinus 1e-10) }
        val bottom = h.topEigenpairs(2, Which.SMALLEST_ALGEBRAIC, withVectors = true, rng = Rng(8))
        bottom.values().toList().zip(eigenvalues).forEach { (got, want) -> got shouldBe (want plusOrMinus 1e-10) }
        bottom.vectors()!![0].size shouldBe n // requested withVectors, so present
    }

    "spectrum and density are SLQ and PyHessian's smoothing; trace is Hutchinson's" {
        val h = hessian(model, loss) { batch(batch) }
        val slq = h.spectrum(runs = 2, steps = n, rng = Rng(3))
        // n steps span the whole space: every run's nodes are all the eigenvalues
        for (run in slq.nodes()) run.toList().zip(eigenvalues).forEach { (got, want) -> got shouldBe (want plusOrMinus 1e-9) }
        val java = SpectralDensity.pyHessian(StochasticLanczosQuadrature(2, n, Probe.RADEMACHER).estimate(h, Rng(3)))
        val density = h.density(runs = 2, steps = n, rng = Rng(3))
        density.grid().toList() shouldBe java.grid().toList()
        density.density().toList() shouldBe java.density().toList()
        slq.density(sigma = 0.05).integral() shouldBe (1.0 plusOrMinus 1e-3)

        val trace = h.trace(rng = Rng(4))
        trace.estimate() shouldBe Hutchinson().estimate(h, Rng(4)).estimate()
        val exact = eigenvalues.sum()
        withClue("Hutchinson ${trace.estimate()} +- ${trace.standardError()} vs ${exact}") {
            abs(trace.estimate() - exact) shouldBeLessThan 4 * trace.standardError()
        }
    }
})
