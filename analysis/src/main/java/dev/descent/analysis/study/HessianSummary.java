package dev.descent.analysis.study;

import dev.descent.analysis.curvature.HessianOperator;
import dev.descent.analysis.curvature.LossFunction;
import dev.descent.analysis.spectrum.Eigenpairs;
import dev.descent.analysis.spectrum.Lanczos;
import dev.descent.analysis.spectrum.LanczosResult;
import dev.descent.analysis.spectrum.SlqResult;
import dev.descent.analysis.spectrum.Which;
import dev.descent.analysis.warmup.TrainedCells;
import dev.descent.tensor.Rng;

/**
 * The Hessian of a trained model's loss on one fixed batch: its top eigenvalues with Ritz residuals, and the raw
 * nodes and weights of a spectral density by stochastic Lanczos quadrature. The first Lanczos run serves both: its
 * top Ritz values are the eigenvalues, and its nodes and weights are the first run of the density.
 *
 * @param label       which model
 * @param cellId      the warmup-study cell it was trained in (names its files)
 * @param parameters  the Hessian's size
 * @param top         the largest Ritz values of the first run, largest first
 * @param residuals   their Ritz residual estimates |β_m y_k[m]|
 * @param slq         every run's nodes and weights
 */
public record HessianSummary(String label, String cellId, int parameters, double[] top, double[] residuals,
                             SlqResult slq) {
    /** Runs {@code runs} Lanczos runs of {@code steps} steps (Rademacher starts from {@code seed}). */
    static HessianSummary of(String label, String cellId, TrainedCells.Trained trained, int runs, int steps,
            int topK, long seed) {
        LossFunction loss = (model, batch) -> trained.loss().apply(batch);
        HessianOperator op = HessianOperator.builder(trained.model(), loss).batch(trained.batches().get(0)).build();
        Rng rng = new Rng(seed);
        double[][] nodes = new double[runs][];
        double[][] weights = new double[runs][];
        double[] top = null;
        double[] residuals = null;
        for (int r = 0; r < runs; r++) {
            LanczosResult result = new Lanczos(steps).run(op, rng);
            nodes[r] = result.ritzValues();
            weights[r] = result.quadratureWeights();
            if (r == 0) {
                Eigenpairs first = Eigenpairs.select(result, Math.min(topK, result.steps()), Which.LARGEST_ALGEBRAIC);
                top = first.values();
                residuals = first.residuals();
            }
        }
        return new HessianSummary(label, cellId, op.size(), top, residuals, new SlqResult(nodes, weights, op.size()));
    }
}
