package dev.descent.analysis.study;

import dev.descent.analysis.curvature.HessianOperator;
import dev.descent.analysis.curvature.LossFunction;
import dev.descent.analysis.spectrum.Lanczos;
import dev.descent.analysis.spectrum.LanczosResult;
import dev.descent.analysis.spectrum.SlqResult;
import dev.descent.analysis.warmup.TrainedCells;
import dev.descent.tensor.Rng;
import java.util.Arrays;

/**
 * The Hessian of a trained model's loss on one fixed batch: its top eigenvalues with Ritz residuals, and the raw
 * nodes and weights of a spectral density by stochastic Lanczos quadrature. The first Lanczos run serves both: its
 * top Ritz values are the eigenvalues, and its nodes and weights are the first run of the density.
 *
 * @param label       which model
 * @param parameters  the Hessian's size
 * @param top         the largest Ritz values of the first run, largest first
 * @param residuals   their Ritz residual estimates |β_m y_k[m]|
 * @param slq         every run's nodes and weights
 */
public record HessianSummary(String label, int parameters, double[] top, double[] residuals, SlqResult slq) {
    /** Runs {@code runs} Lanczos runs of {@code steps} steps (Rademacher starts from {@code seed}). */
    static HessianSummary of(String label, TrainedCells.Trained trained, int runs, int steps, int topK, long seed) {
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
                int m = nodes[0].length;
                int k = Math.min(topK, m);
                Integer[] order = new Integer[m];
                for (int i = 0; i < m; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, (a, b) -> Double.compare(nodes[0][b], nodes[0][a]));
                top = new double[k];
                residuals = new double[k];
                for (int i = 0; i < k; i++) {
                    top[i] = nodes[0][order[i]];
                    residuals[i] = result.ritzResiduals()[order[i]];
                }
            }
        }
        return new HessianSummary(label, op.size(), top, residuals, new SlqResult(nodes, weights, op.size()));
    }
}
