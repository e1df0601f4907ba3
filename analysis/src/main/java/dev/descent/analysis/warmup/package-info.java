/**
 * Warmup studies (Xiong et al. 2020, "On Layer Normalization in the Transformer Architecture", §3.2 and §4.2):
 * does a Post-LN Transformer need a learning-rate warmup where a Pre-LN one does not? A {@link
 * dev.descent.analysis.warmup.WarmupGrid} crosses norm position, peak learning rate, warmup length, optimizer
 * and seed; {@link dev.descent.analysis.warmup.WarmupStudy} trains every cell (a character Transformer LM on tiny
 * Shakespeare, or an encoder-decoder reversing random sequences) in parallel and resumably, records each run's
 * loss per step, the gradient norm of every parameter tensor at chosen steps and whether and where it diverged,
 * and writes the tables and plots of the study into its folder.
 */
@NullMarked
package dev.descent.analysis.warmup;

import org.jspecify.annotations.NullMarked;
