/**
 * Training monitors after Zhang, Li, Sra and Jadbabaie, "Neural network weights do not converge to stationary
 * points: an invariant measure perspective" (ICML 2022; spec/analysis.md §7): a {@link
 * dev.descent.analysis.monitor.TrainingMonitor} that any training loop calls once per step, recording the
 * full-batch gradient norm over a fixed set of batches, stochastic gradient norms, weight norms per parameter
 * tensor, the displacement {@code ‖θ_t − θ_{t−w}‖}, histograms of the per-step loss changes over sliding windows
 * and the Kolmogorov–Smirnov and 1-Wasserstein distances between consecutive windows; and the files it writes
 * ({@code monitor.csv} and PNG plots).
 */
@NullMarked
package dev.descent.analysis.monitor;

import org.jspecify.annotations.NullMarked;
