package dev.descent.analysis.curvature;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.nn.Module;
import dev.descent.nn.data.Batch;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * First-order passes: the loss and its gradient with respect to a block, on one batch or averaged over a
 * batch source with weights {@code n_b}. Callers hold the model in its curvature mode with grad mode on.
 */
final class GradientPass {
    private GradientPass() {
    }

    /** The loss of {@code batch}, checked to be a recorded scalar. */
    static Variable loss(Module model, LossFunction lossFunction, Batch batch) {
        Variable loss = lossFunction.compute(model, batch);
        if (loss == null || loss.numel() != 1) {
            throw new IllegalArgumentException("HessianOperator: the loss function must return a scalar, got "
                    + (loss == null ? "null" : "shape " + loss.shape()) + " for a batch of " + batch.size());
        }
        if (!loss.requiresGrad()) {
            throw new IllegalArgumentException("HessianOperator: the loss does not depend on any parameter (it was"
                    + " computed without recording, or from detached values)");
        }
        return loss;
    }

    /** The weighted mean loss and gradient over {@code batches}. */
    static LossAndGradient run(Module model, LossFunction lossFunction, ParameterBlock block, Iterable<Batch> batches) {
        double[] sum = new double[block.size()];
        double lossSum = 0;
        long examples = 0;
        for (Batch batch : batches) {
            Variable loss = loss(model, lossFunction, batch);
            List<Variable> g = Autograd.grad(List.of(loss), block.parameters(), null, false, false, true);
            int n = batch.size();
            Flat.addScaled(sum, n, flatten(block, g));
            lossSum += n * loss.item();
            examples += n;
        }
        Flat.scale(sum, 1.0 / examples);
        return new LossAndGradient(lossSum / examples, sum, examples);
    }

    /** The gradients as one flat vector; a null gradient (a parameter the loss does not use) counts as zeros. */
    static double[] flatten(ParameterBlock block, List<Variable> grads) {
        List<Tensor> tensors = new ArrayList<>(grads.size());
        for (int i = 0; i < grads.size(); i++) {
            Variable g = grads.get(i);
            tensors.add(g == null ? block.parameters().get(i).value().zerosLike() : g.value());
        }
        return block.flatten(tensors);
    }
}
