/**
 * R_med along training (Jiang, Malik and Li, "How Does Adaptive Optimization Impact Local Neural Network
 * Geometry?", NeurIPS 2023): the ratio of the largest to the median entry of a layer's Hessian diagonal
 * ({@link dev.descent.analysis.rmed.Rmed}), found exactly or by Rademacher probes
 * ({@link dev.descent.analysis.rmed.DiagonalRule}), tracked for several optimizers trained from one
 * initialisation on the same batches ({@link dev.descent.analysis.rmed.RmedStudy}), with CSV, JSON and a plot
 * ({@link dev.descent.analysis.rmed.RmedResult}).
 */
@NullMarked
package dev.descent.analysis.rmed;

import org.jspecify.annotations.NullMarked;
