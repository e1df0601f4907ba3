package dev.descent.analysis.monitor;

import dev.descent.autograd.Variable;
import dev.descent.nn.Module;
import dev.descent.nn.data.Batch;

/**
 * The scalar loss of a model on one batch, averaged over the batch's examples (so that a data set's loss is the
 * batch-size-weighted mean of batch losses), as a differentiable value. For a classifier:
 * {@code (model, b) -> F.crossEntropy(((Layer) model).forward(Variable.constant(b.inputs())), b.targets())}.
 */
@FunctionalInterface
public interface BatchLoss {
    /** The mean loss of {@code model} on {@code batch}. */
    Variable loss(Module model, Batch batch);
}
