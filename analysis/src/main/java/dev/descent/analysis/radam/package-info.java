/**
 * The variance of Adam's adaptive learning rate, after Liu et al., "On the Variance of the Adaptive Learning Rate
 * and Beyond" (RAdam, ICLR 2020; spec/analysis.md §4): the closed forms {@code ρ∞}, {@code ρ_t}, {@code r_t} and
 * the first-order variance approximation ({@link dev.descent.analysis.radam.RectificationTerms}); a seeded Monte
 * Carlo of {@code ψ_t = sqrt((1−β2^t)/v_t)} and of the rectified {@code r_t ψ_t} for i.i.d. Gaussian gradients
 * ({@link dev.descent.analysis.radam.VarianceSimulation}); the distribution of {@code ψ} across coordinates read
 * from a live optimizer's second-moment buffers during training
 * ({@link dev.descent.analysis.radam.AdaptiveLrRecorder}); and the CSV, JSON and PNG files that reproduce the
 * RAdam README's Figure 1 ({@link dev.descent.analysis.radam.VarianceReport}).
 */
@NullMarked
package dev.descent.analysis.radam;

import org.jspecify.annotations.NullMarked;
