package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.nn.init.Init;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;

/**
 * A lookup table of {@code num} vectors of size {@code dim}, as {@code torch.nn.Embedding}: weight N(0, 1), with
 * the {@code paddingIdx} row (if >= 0) zeroed and never receiving a gradient.
 */
public class Embedding extends Module {
    private final int num;
    private final int dim;
    private final int paddingIdx;
    private final Variable weight;

    public Embedding(int num, int dim, Rng rng) {
        this(num, dim, -1, rng);
    }

    public Embedding(int num, int dim, int paddingIdx, Rng rng) {
        this(num, dim, paddingIdx, Init.normal_(Tensor.zeros(num, dim), 0, 1, rng));
    }

    /** An embedding with the given initial weight [num, dim] (the padding row is zeroed). */
    protected Embedding(int num, int dim, int paddingIdx, Tensor initialWeight) {
        if (paddingIdx >= num || paddingIdx < -1) {
            throw new IllegalArgumentException("Embedding: padding index " + paddingIdx + " is out of range for "
                    + num + " embeddings");
        }
        this.num = num;
        this.dim = dim;
        this.paddingIdx = paddingIdx;
        if (paddingIdx >= 0) {
            initialWeight.select(0, paddingIdx).fill_(0);
        }
        this.weight = registerParameter("weight", initialWeight);
    }

    public Variable weight() {
        return weight;
    }

    /** The vectors at INT64 {@code indices} (any shape): shape indices ++ [dim]. */
    public Variable forward(Tensor indices) {
        return F.embedding(indices, weight, paddingIdx);
    }

    @Override
    protected String extraRepr() {
        return num + ", " + dim + (paddingIdx >= 0 ? ", padding_idx=" + paddingIdx : "");
    }
}
