package dev.descent.analysis.gradnorm;

import dev.descent.autograd.Variable;
import dev.descent.nn.Embedding;
import dev.descent.nn.Linear;
import dev.descent.nn.Module;
import dev.descent.nn.NormPosition;
import dev.descent.nn.SinusoidalPositionalEncoding;
import dev.descent.nn.Transformer;
import dev.descent.nn.data.Batch;
import dev.descent.nn.functional.F;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An encoder-decoder ({@link Transformer} with L encoder and L decoder layers, no dropout; final LayerNorms on
 * both stacks for Pre-LN only) with separate source and target embeddings, sinusoidal positions and an untied
 * linear head, set up for the reversal task: the decoder reads the target shifted right behind a begin token
 * (id {@code taskVocabulary}) under a causal mask and predicts every target token, as a translation model is
 * trained (teacher forcing). Re-initialised by {@link XavierInit}.
 */
final class EncoderDecoderProbe implements InitProbe {
    /** The model's modules, registered under the names the parameter lookup below relies on. */
    private static final class Seq2Seq extends Module {
        final Embedding source;
        final Embedding target;
        final SinusoidalPositionalEncoding positions;
        final Transformer transformer;
        final Linear head;

        Seq2Seq(GradNormSetup s, NormPosition norm, int layers, Rng rng) {
            int v = s.taskVocabulary();
            source = registerModule("source_embedding", new Embedding(v, s.dModel(), rng));
            target = registerModule("target_embedding", new Embedding(v + 1, s.dModel(), rng));
            positions = registerModule("positions", new SinusoidalPositionalEncoding(s.seqLen(), s.dModel()));
            transformer = registerModule("transformer", new Transformer(s.dModel(), s.heads(), layers, layers,
                    s.dimFeedforward(), 0.0, norm, rng));
            head = registerModule("head", new Linear(s.dModel(), v, rng));
        }
    }

    private final Seq2Seq model;
    private final int layers;
    private final int beginToken;

    EncoderDecoderProbe(GradNormSetup setup, NormPosition norm, int layers, Rng rng) {
        this.model = new Seq2Seq(setup, norm, layers, rng);
        this.layers = layers;
        this.beginToken = setup.taskVocabulary();
        XavierInit.apply(model, rng);
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public Variable loss(Batch batch) {
        Tensor src = batch.inputs();
        Tensor tgt = batch.targets();
        int n = tgt.size(0);
        int t = tgt.size(1);
        Tensor decoderInput = Tensor.cat(1, Tensor.full(DType.INT64, beginToken, n, 1),
                tgt.narrow(1, 0, t - 1));
        Variable memorySide = model.positions.forward(model.source.forward(src));
        Variable targetSide = model.positions.forward(model.target.forward(decoderInput));
        Tensor causal = Transformer.generateSquareSubsequentMask(t);
        Variable h = model.transformer.forward(memorySide, targetSide, null, causal, null, null, null, null);
        Variable logits = model.head.forward(h);
        return F.crossEntropy(logits.reshape(-1, logits.size(2)), tgt.reshape(-1));
    }

    @Override
    public Map<String, List<Variable>> secondFeedForwardWeights() {
        Map<String, Variable> named = model.namedParameters();
        Map<String, List<Variable>> stacks = new LinkedHashMap<>();
        for (String stack : new String[] {"encoder", "decoder"}) {
            List<Variable> w2 = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                w2.add(named.get("transformer." + stack + ".layers." + l + ".linear2.weight"));
            }
            stacks.put(stack, w2);
        }
        return stacks;
    }
}
