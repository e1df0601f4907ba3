package dev.descent.autograd;

import dev.descent.tensor.Normalization;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

import static dev.descent.autograd.Ops.node;

/**
 * Layer normalisation as one primitive with a fused forward kernel. Its backward rule has two forms: in a
 * first-order pass (nothing recorded) it runs the fused backward kernel; when the gradient must itself be
 * differentiable ({@code createGraph}), it builds the same gradient from differentiable operations, so
 * second derivatives (Hessian-vector products through a Transformer) work as for any composite.
 */
final class Norms {
    private Norms() {
    }

    static Variable layerNorm(Variable x, int[] normalizedShape, Variable weight, Variable bias, double eps) {
        int k = normalizedShape.length;
        int size = 1;
        boolean ok = k >= 1 && k <= x.dim();
        for (int i = 0; ok && i < k; i++) {
            ok = x.size(x.dim() - k + i) == normalizedShape[i];
            size *= normalizedShape[i];
        }
        if (!ok) {
            throw new IllegalArgumentException("layerNorm: input of shape " + x.shape() + " does not end with the"
                    + " normalized shape " + Shape.of(normalizedShape));
        }
        for (Variable p : new Variable[] {weight, bias}) {
            if (p != null && !p.shape().equals(Shape.of(normalizedShape))) {
                throw new IllegalArgumentException("layerNorm: weight or bias of shape " + p.shape() + " for the"
                        + " normalized shape " + Shape.of(normalizedShape));
            }
        }
        int cols = size;
        Normalization.LayerNormResult r = Normalization.layerNorm(x.value(), cols,
                weight == null ? null : weight.value(), bias == null ? null : bias.value(), eps);
        List<Variable> inputs = new ArrayList<>(3);
        inputs.add(x);
        if (weight != null) {
            inputs.add(weight);
        }
        if (bias != null) {
            inputs.add(bias);
        }
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) {
            axes[i] = x.dim() - k + i;
        }
        Variable[] saved = weight == null ? new Variable[] {x} : new Variable[] {x, weight};
        return node("layerNorm", r.output(), inputs.toArray(new Variable[0])).saving(saved).backward((out, g, needs) -> {
            boolean needX = needs[0];
            boolean needW = weight != null && needs[1];
            boolean needB = bias != null && needs[needs.length - 1];
            Variable gx;
            Variable gw;
            Variable gb;
            if (Autograd.isGradEnabled()) {
                // the gradient must be differentiable: the same formula from differentiable operations
                Variable centred = x.sub(x.mean(axes, true));
                Variable rstd = centred.square().mean(axes, true).add(eps).rsqrt();
                Variable xhat = centred.mul(rstd);
                Variable gh = weight == null ? g : g.mul(weight);
                gx = needX ? rstd.mul(gh.sub(gh.mean(axes, true)).sub(xhat.mul(gh.mul(xhat).mean(axes, true)))) : null;
                gw = needW ? Ops.sumTo(g.mul(xhat), weight.shape()) : null;
                gb = needB ? Ops.sumTo(g, bias.shape()) : null;
            } else {
                Tensor gv = g.value();
                // a gradient this rule alone holds (Engine) takes the input's gradient in its own memory
                Normalization.LayerNormGrads d = needX && g.isExclusive()
                        ? Normalization.layerNormBackwardIntoGrad(gv, x.value(), r.mean(), r.rstd(),
                                weight == null ? null : weight.value(), cols, needW, needB)
                        : Normalization.layerNormBackward(gv, x.value(), r.mean(), r.rstd(),
                                weight == null ? null : weight.value(), cols, needX, needW, needB);
                gx = needX ? Variable.exclusive(d.input().reshape(x.shape().toArray())) : null;
                gw = needW ? Variable.exclusive(d.weight().reshape(normalizedShape)) : null;
                gb = needB ? Variable.exclusive(d.bias().reshape(normalizedShape)) : null;
            }
            Variable[] grads = new Variable[needs.length];
            grads[0] = gx;
            int i = 1;
            if (weight != null) {
                grads[i++] = gw;
            }
            if (bias != null) {
                grads[i] = gb;
            }
            return grads;
        });
    }
}
