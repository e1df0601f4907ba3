/**
 * Curvature as linear maps on flat float64 vectors: the {@link dev.descent.analysis.curvature.CurvatureOperator}
 * contract and the Hessian of a model's loss over a batch or a data set, by double backprop or by finite
 * differences, for all parameters or a block of them.
 */
@NullMarked
package dev.descent.analysis.curvature;

import org.jspecify.annotations.NullMarked;
