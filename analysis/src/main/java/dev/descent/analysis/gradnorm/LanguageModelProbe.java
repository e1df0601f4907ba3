package dev.descent.analysis.gradnorm;

import dev.descent.autograd.Variable;
import dev.descent.nn.Module;
import dev.descent.nn.NormPosition;
import dev.descent.nn.PositionalEncoding;
import dev.descent.nn.TransformerLM;
import dev.descent.nn.data.Batch;
import dev.descent.nn.functional.F;
import dev.descent.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A decoder-only character LM ({@link TransformerLM}: token embedding, sinusoidal positions as in the paper's
 * fairseq models, causal blocks, a final LayerNorm for Pre-LN, an untied linear head over tiny Shakespeare's
 * characters), no dropout, re-initialised by {@link XavierInit}.
 */
final class LanguageModelProbe implements InitProbe {
    private final TransformerLM model;

    LanguageModelProbe(GradNormSetup setup, NormPosition norm, int layers, Rng rng) {
        TransformerLM.Config config = TransformerLM.Config.builder(StudyBatches.shakespeareVocabularySize(),
                        setup.seqLen(), setup.dModel(), setup.heads(), layers)
                .dimFeedforward(setup.dimFeedforward()).normPosition(norm)
                .positions(PositionalEncoding.Kind.SINUSOIDAL).build();
        this.model = new TransformerLM(config, rng);
        XavierInit.apply(model, rng);
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public Variable loss(Batch batch) {
        Variable logits = model.forward(batch.inputs());
        return F.crossEntropy(logits.reshape(-1, logits.size(2)), batch.targets().reshape(-1));
    }

    @Override
    public Map<String, List<Variable>> secondFeedForwardWeights() {
        Map<String, Variable> named = model.namedParameters();
        List<Variable> w2 = new ArrayList<>();
        for (int l = 0; l < model.config().numLayers(); l++) {
            w2.add(named.get("layers." + l + ".linear2.weight"));
        }
        return Map.of("blocks", w2);
    }
}
