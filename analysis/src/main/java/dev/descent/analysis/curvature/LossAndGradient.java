package dev.descent.analysis.curvature;

/**
 * A model's loss and its gradient with respect to a {@link ParameterBlock}, averaged over the batches of an
 * operator with each batch weighted by its number of examples.
 *
 * @param loss     {@code Σ n_b L_b / Σ n_b}
 * @param gradient {@code Σ n_b ∇L_b / Σ n_b}, laid out as the block's flat vectors
 * @param examples {@code Σ n_b}, the number of examples averaged over
 */
public record LossAndGradient(double loss, double[] gradient, long examples) {
    /** The Euclidean norm of the gradient. */
    public double gradientNorm() {
        double s = 0;
        for (double g : gradient) {
            s += g * g;
        }
        return Math.sqrt(s);
    }
}
