/**
 * Gradient norms at initialisation, after Xiong et al. 2020, "On Layer Normalization in the Transformer
 * Architecture" (Figure 3, Theorem 1): Pre-LN and Post-LN Transformers (a decoder-only language model, and an
 * encoder-decoder) re-initialised as the paper does ({@link dev.descent.analysis.gradnorm.XavierInit}), the
 * Frobenius norm of the gradient of each layer's second feed-forward matrix W^{2,l}, its mean and standard
 * deviation over initialisation seeds and batches ({@link dev.descent.analysis.gradnorm.GradientNormsAtInit}),
 * the last layer's norm against depth, the mean-field prediction beside it
 * ({@link dev.descent.analysis.gradnorm.MeanFieldPrediction}), and the CSV, JSON and PNG files of a study
 * ({@link dev.descent.analysis.gradnorm.GradNormReport}).
 */
@NullMarked
package dev.descent.analysis.gradnorm;

import org.jspecify.annotations.NullMarked;
