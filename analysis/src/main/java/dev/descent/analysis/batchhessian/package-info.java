/**
 * Batch against full Hessian (Granziol, Zohren and Roberts, "Learning Rates as a Function of Batch Size",
 * JMLR 2022): the top eigenvalue of the Hessian over random batches of B examples beside the one over all the
 * data ({@link dev.descent.analysis.batchhessian.BatchHessianStudy}), with CSV, JSON and a plot against 1/B
 * ({@link dev.descent.analysis.batchhessian.BatchHessianResult}).
 */
@NullMarked
package dev.descent.analysis.batchhessian;

import org.jspecify.annotations.NullMarked;
