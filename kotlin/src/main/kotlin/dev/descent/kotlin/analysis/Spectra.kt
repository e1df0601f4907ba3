// The analysis module's solvers as functions of an operator: `h.topEigenvalues(5)`, `h.density(runs = 3, steps =
// 80)`, `h.trace()`. Each is one call of the Java solver with its defaults; none has numerics of its own.
@file:JvmName("Spectra")

package dev.descent.kotlin.analysis

import dev.descent.analysis.curvature.CurvatureOperator
import dev.descent.analysis.spectrum.Eigenpairs
import dev.descent.analysis.spectrum.Hutchinson
import dev.descent.analysis.spectrum.Lanczos
import dev.descent.analysis.spectrum.Probe
import dev.descent.analysis.spectrum.SlqResult
import dev.descent.analysis.spectrum.SpectralDensity
import dev.descent.analysis.spectrum.StochasticLanczosQuadrature
import dev.descent.analysis.spectrum.TraceEstimate
import dev.descent.analysis.spectrum.Which
import dev.descent.kotlin.scope.currentRng
import dev.descent.tensor.Rng

/**
 * The [k] eigenpairs of this operator at the end [which] by one [Lanczos] run of [steps] steps (by default
 * [Lanczos.forTopK]'s `min(size, max(2k + 1, 30))`) from a start vector drawn from [rng]: exactly
 * `Lanczos.forTopK(k, size).topK(this, k, which, withVectors, rng)`. Check [Eigenpairs.residuals].
 *
 * @param rng by default the current generator of a `seeded` block
 */
fun CurvatureOperator.topEigenpairs(
    k: Int,
    which: Which = Which.LARGEST_ALGEBRAIC,
    withVectors: Boolean = false,
    steps: Int? = null,
    rng: Rng = currentRng("topEigenpairs"),
): Eigenpairs = (if (steps == null) Lanczos.forTopK(k, size()) else Lanczos(steps)).topK(this, k, which, withVectors, rng)

/** The values of [topEigenpairs]: the [k] largest eigenvalues (by default), largest first. */
fun CurvatureOperator.topEigenvalues(
    k: Int,
    which: Which = Which.LARGEST_ALGEBRAIC,
    steps: Int? = null,
    rng: Rng = currentRng("topEigenvalues"),
): List<Double> = topEigenpairs(k, which, false, steps, rng).values().toList()

/**
 * Stochastic Lanczos quadrature of this operator: [runs] Lanczos runs of [steps] steps from [probe] start vectors
 * drawn from [rng], the raw nodes and weights ([StochasticLanczosQuadrature]; the defaults are its 10 and 80).
 */
fun CurvatureOperator.spectrum(
    runs: Int = StochasticLanczosQuadrature.DEFAULT_RUNS,
    steps: Int = StochasticLanczosQuadrature.DEFAULT_STEPS,
    probe: Probe = Probe.RADEMACHER,
    rng: Rng = currentRng("spectrum"),
): SlqResult = StochasticLanczosQuadrature(runs, steps, probe).estimate(this, rng)

/** The smoothed density of [spectrum] (see [SlqResult.density] for [sigma]). */
fun CurvatureOperator.density(
    runs: Int = StochasticLanczosQuadrature.DEFAULT_RUNS,
    steps: Int = StochasticLanczosQuadrature.DEFAULT_STEPS,
    sigma: Double? = null,
    rng: Rng = currentRng("density"),
): SpectralDensity = spectrum(runs, steps, Probe.RADEMACHER, rng).density(sigma)

/**
 * These quadrature rules smoothed: with a Gaussian of standard deviation [sigma] ([SpectralDensity.gaussian]), or,
 * when [sigma] is null, by PyHessian's recipe ([SpectralDensity.pyHessian]).
 */
fun SlqResult.density(sigma: Double? = null): SpectralDensity =
    if (sigma == null) SpectralDensity.pyHessian(this) else SpectralDensity.gaussian(this, sigma)

/**
 * Hutchinson's estimate of this operator's trace ([Hutchinson]) with [probe] probes drawn from [rng], stopping
 * when the standard error is within [tolerance] of the mean (after [minSamples]) or at [maxSamples].
 */
fun CurvatureOperator.trace(
    tolerance: Double = Hutchinson.DEFAULT_TOLERANCE,
    minSamples: Int = Hutchinson.DEFAULT_MIN_SAMPLES,
    maxSamples: Int = Hutchinson.DEFAULT_MAX_SAMPLES,
    probe: Probe = Probe.RADEMACHER,
    rng: Rng = currentRng("trace"),
): TraceEstimate = Hutchinson(probe, tolerance, minSamples, maxSamples).estimate(this, rng)
