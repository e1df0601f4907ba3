package dev.descent.analysis.curvature;

import dev.descent.autograd.Variable;
import dev.descent.nn.Layer;
import dev.descent.nn.Module;
import dev.descent.nn.data.Batch;
import dev.descent.nn.functional.F;
import dev.descent.nn.functional.Reduction;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * The scalar loss of a model on one batch, the function whose curvature an operator takes. It must be the
 * <b>mean</b> over the batch's examples: a data-set operator weights batch {@code b} by its size
 * {@code n_b}, so that {@code Σ n_b L_b / Σ n_b} is the mean loss over the whole data. It must not change the
 * model, and must give the same value every time for the same parameters (no sampling).
 *
 * <pre>{@code
 * LossFunction loss = LossFunction.crossEntropy();
 * LossFunction custom = (model, batch) -> F.crossEntropy(((Layer) model).forward(
 *         Variable.constant(batch.inputs().flatten(1, 3))), batch.targets());
 * }</pre>
 */
@FunctionalInterface
public interface LossFunction {
    /** The mean loss of {@code model} on {@code batch}, recorded (grad mode is on when this is called). */
    Variable compute(Module model, Batch batch);

    /**
     * Mean cross-entropy of a classifier ({@link Layer}) whose output is logits [N, C], against the batch's INT64
     * class indices. Floating-point inputs are cast to the model's dtype first, so a FLOAT64 copy of a model
     * takes the FLOAT32 images of a data set as they are.
     */
    static LossFunction crossEntropy() {
        return (model, batch) -> F.crossEntropy(forward("crossEntropy", model, batch.inputs()), batch.targets());
    }

    /**
     * {@link #crossEntropy()} on inputs flattened to [N, features] first, for an MLP on images (as the README's
     * MNIST example feeds {@code inputs.flatten(1, 3)}).
     */
    static LossFunction crossEntropyOnFlattened() {
        return (model, batch) -> F.crossEntropy(forward("crossEntropyOnFlattened", model,
                batch.inputs().flatten(1, batch.inputs().dim() - 1)), batch.targets());
    }

    /**
     * Mean squared error of a regression model's outputs against the batch's targets (cast to the model's
     * dtype), as {@code F.mse_loss}: the mean over every element of the output, so for outputs [N, 1] it is
     * {@code (1/N) Σ (f(x_i) - y_i)²}.
     */
    static LossFunction meanSquaredError() {
        return (model, batch) -> {
            Variable out = forward("meanSquaredError", model, batch.inputs());
            Tensor target = batch.targets().cast(out.dtype());
            if (!target.shape().equals(out.shape())) {
                throw new IllegalArgumentException("meanSquaredError: the model's output has shape " + out.shape()
                        + " but the targets have shape " + target.shape());
            }
            return F.mseLoss(out, Variable.constant(target), Reduction.MEAN);
        };
    }

    /** The model applied to {@code inputs}, cast to the dtype of the model's parameters when floating point. */
    private static Variable forward(String op, Module model, Tensor inputs) {
        if (!(model instanceof Layer)) {
            throw new IllegalArgumentException(op + ": the model (" + model.getClass().getSimpleName() + ") is not a"
                    + " Layer with forward(Variable); write a LossFunction of your own for it");
        }
        DType dtype = modelDtype(model);
        Tensor x = inputs.dtype().isFloatingPoint() && dtype != null ? inputs.cast(dtype) : inputs;
        return ((Layer) model).forward(Variable.constant(x));
    }

    /** The dtype of the model's first parameter, or null for a model without parameters. */
    private static @Nullable DType modelDtype(Module model) {
        for (Variable p : model.parameters()) {
            return p.dtype();
        }
        return null;
    }
}
