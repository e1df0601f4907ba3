package dev.descent.analysis.gradnorm;

import dev.descent.autograd.Variable;
import dev.descent.nn.Module;
import dev.descent.nn.NormPosition;
import dev.descent.nn.data.Batch;
import dev.descent.tensor.Rng;
import java.util.List;
import java.util.Map;

/**
 * One freshly initialised Transformer of a study, with its loss on a batch and the weights whose gradients the
 * study measures.
 */
public interface InitProbe {
    /** The model, initialised by {@link XavierInit}. */
    Module model();

    /** The mean token cross-entropy of the model on {@code batch} (inputs and targets INT64 [B, T]). */
    Variable loss(Batch batch);

    /**
     * The second feed-forward matrix W^{2,l} of every layer ({@code linear2.weight}, [d, dimFeedforward]), by
     * stack, each list from layer 1 (nearest the input) to layer L; the stacks in forward order, so the last one
     * is the stack that feeds the output head.
     */
    Map<String, List<Variable>> secondFeedForwardWeights();

    /**
     * A model of {@code setup}'s kind with {@code layers} layers (per stack) normalised at {@code norm}, without
     * dropout, initialised from {@code rng} by {@link XavierInit}.
     */
    static InitProbe create(GradNormSetup setup, NormPosition norm, int layers, Rng rng) {
        if (layers < 1) {
            throw new IllegalArgumentException("InitProbe.create: layers must be positive, got " + layers);
        }
        return setup.model() == ModelKind.LM ? new LanguageModelProbe(setup, norm, layers, rng)
                : new EncoderDecoderProbe(setup, norm, layers, rng);
    }
}
