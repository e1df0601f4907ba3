/**
 * Spectra and traces of symmetric operators seen only through {@code v -> Av}
 * ({@link dev.descent.analysis.curvature.CurvatureOperator}): {@link dev.descent.analysis.spectrum.Lanczos}
 * with full reorthogonalisation and Ritz residuals, top-k eigenpairs, deflated
 * {@link dev.descent.analysis.spectrum.PowerIteration}, spectral densities by
 * {@link dev.descent.analysis.spectrum.StochasticLanczosQuadrature} with smoothing as a separate step
 * ({@link dev.descent.analysis.spectrum.SpectralDensity}), and stochastic traces and diagonals
 * ({@link dev.descent.analysis.spectrum.Hutchinson}, {@link dev.descent.analysis.spectrum.HutchPlusPlus},
 * {@link dev.descent.analysis.spectrum.HessianDiagonal}, {@link dev.descent.analysis.spectrum.BlockTraces}).
 *
 * <p>Everything is float64 and seeded through an explicit {@link dev.descent.tensor.Rng}: the same seed and
 * operator give the same numbers on every run. Default values name their source: PyHessian (PH),
 * pytorch-hessian-eigenthings v1 (HE1), google/spectral-density (SD), or our own choice where they differ.
 */
@NullMarked
package dev.descent.analysis.spectrum;

import org.jspecify.annotations.NullMarked;
