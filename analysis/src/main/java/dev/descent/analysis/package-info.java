/**
 * Training-dynamics and curvature analysis: Hessian-vector products, Lanczos, stochastic Lanczos
 * quadrature, Hutchinson and Hessian-diagonal estimates, gradient-norm studies, training monitors, the
 * warmup-study runner, and the plots and reports they write.
 */
@NullMarked
package dev.descent.analysis;

import org.jspecify.annotations.NullMarked;
