package dev.descent.analysis.gradnorm;

import dev.descent.nn.NormPosition;

/**
 * What Xiong et al.'s mean-field analysis predicts for the gradient norms at initialisation, in the two forms
 * the measurement can be set beside.
 *
 * <p><b>Against depth</b> (Theorem 1): ‖∂L/∂W^{2,L}‖_F is O(d sqrt(ln d)) for Post-LN, independent of L,
 * and O(d sqrt(ln d / L)) for Pre-LN. The Pre-LN rate comes from the final LayerNorm, whose Jacobian has norm
 * O(sqrt(d) / ‖x_{L+1}‖) (Lemma 3), with E‖x_{L+1}‖² ≥ (1 + L/2) d (Lemma 2); so relative to a reference depth
 * L₀ the Pre-LN norm falls like sqrt((1 + L₀/2) / (1 + L/2)), and the Post-LN norm stays put. The theorem
 * gives only orders, no constants, so the prediction is anchored at the value measured at L₀.
 *
 * <p><b>Against the layer index at a fixed depth</b> (§3.3 and appendix): the paper expects the Post-LN norm
 * to shrink going down, like (2/3)^((L − l)/2), and the Pre-LN norm to be about the same at every layer; here
 * anchored at the measured last layer. This part of the argument is an upper bound, and a numpy toy
 * (spec/analysis.md §3.3) did not reproduce it (flat Post-LN, Pre-LN largest at the bottom), so the per-layer
 * prediction is shown for comparison, not asserted.
 */
public final class MeanFieldPrediction {
    private MeanFieldPrediction() {
    }

    /**
     * The predicted ratio of the last layer's norm at depth {@code layers} to that at {@code referenceLayers}: 1
     * for Post-LN, sqrt((1 + L₀/2) / (1 + L/2)) for Pre-LN.
     */
    public static double depthFactor(NormPosition norm, int layers, int referenceLayers) {
        if (layers < 1 || referenceLayers < 1) {
            throw new IllegalArgumentException("MeanFieldPrediction.depthFactor: depths must be positive, got "
                    + layers + " and " + referenceLayers);
        }
        return norm == NormPosition.POST ? 1.0
                : Math.sqrt((1 + referenceLayers / 2.0) / (1 + layers / 2.0));
    }

    /**
     * The predicted last-layer norm at each of {@code depths}, anchored so that it equals {@code measured} at
     * {@code referenceLayers}.
     */
    public static double[] lastLayer(NormPosition norm, int[] depths, int referenceLayers, double measured) {
        double[] out = new double[depths.length];
        for (int i = 0; i < depths.length; i++) {
            out[i] = measured * depthFactor(norm, depths[i], referenceLayers);
        }
        return out;
    }

    /**
     * The predicted norm of each layer l = 1..L (index l − 1), anchored at the measured last-layer norm
     * {@code lastLayer}: lastLayer (2/3)^((L − l)/2) for Post-LN, lastLayer at every layer for Pre-LN.
     */
    public static double[] perLayer(NormPosition norm, int layers, double lastLayer) {
        if (layers < 1) {
            throw new IllegalArgumentException("MeanFieldPrediction.perLayer: layers must be positive, got " + layers);
        }
        double[] out = new double[layers];
        for (int l = 1; l <= layers; l++) {
            out[l - 1] = norm == NormPosition.POST ? lastLayer * Math.pow(2.0 / 3.0, (layers - l) / 2.0) : lastLayer;
        }
        return out;
    }
}
