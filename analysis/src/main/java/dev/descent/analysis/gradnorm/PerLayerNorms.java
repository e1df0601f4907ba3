package dev.descent.analysis.gradnorm;

import dev.descent.nn.NormPosition;
import java.util.List;
import java.util.Objects;

/**
 * One configuration's measurement: the per-layer gradient norms of W^{2,l} of every stack at initialisation.
 *
 * @param model    the model kind
 * @param norm     PRE or POST
 * @param layers   layers per stack, L
 * @param samples  norms averaged per layer (seeds × batches)
 * @param meanLoss the mean initial loss over those samples (about ln(vocabulary) for a sane initialisation)
 * @param stacks   the stacks in forward order; the last feeds the output head
 */
public record PerLayerNorms(ModelKind model, NormPosition norm, int layers, int samples, double meanLoss,
                            List<StackNorms> stacks) {
    /** Checks that every stack has {@code layers} layers. */
    public PerLayerNorms {
        Objects.requireNonNull(model, "PerLayerNorms: model");
        Objects.requireNonNull(norm, "PerLayerNorms: norm");
        stacks = List.copyOf(stacks);
        if (stacks.isEmpty()) {
            throw new IllegalArgumentException("PerLayerNorms: no stacks");
        }
        for (StackNorms s : stacks) {
            if (s.layers() != layers) {
                throw new IllegalArgumentException("PerLayerNorms: stack " + s.stack() + " has " + s.layers()
                        + " layers, expected " + layers);
            }
        }
    }

    /** The stack that feeds the output head (the LM's blocks, or the decoder): Figure 3's "last layer" is its. */
    public StackNorms output() {
        return stacks.get(stacks.size() - 1);
    }

    /** The stack called {@code name}. */
    public StackNorms stack(String name) {
        for (StackNorms s : stacks) {
            if (s.stack().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("PerLayerNorms.stack: no stack '" + name + "' (have "
                + stacks.stream().map(StackNorms::stack).toList() + ")");
    }
}
