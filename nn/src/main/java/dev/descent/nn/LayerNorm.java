package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.tensor.Tensor;

/**
 * Layer normalisation over the trailing {@code normalizedShape}, as {@code torch.nn.LayerNorm}: weight ones,
 * bias zeros (when {@code elementwiseAffine}), eps 1e-5 by default.
 */
public final class LayerNorm extends Layer {
    private final int[] normalizedShape;
    private final double eps;
    private final Variable weight;
    private final Variable bias;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine, boolean bias) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
        this.bias = elementwiseAffine && bias ? registerParameter("bias", Tensor.zeros(normalizedShape)) : null;
    }

    @Override
    public Variable forward(Variable input) {
        return F.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    @Override
    protected String extraRepr() {
        return Repr.tuple(normalizedShape) + ", eps=" + Repr.num(eps) + ", elementwise_affine=" + Repr.flag(weight != null);
    }
}
