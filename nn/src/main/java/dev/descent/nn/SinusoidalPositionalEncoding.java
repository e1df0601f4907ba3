package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;

/**
 * Vaswani et al.'s fixed positional encoding: {@code P[t, 2i] = sin(t / 10000^(2i / dim))} and
 * {@code P[t, 2i + 1] = cos(t / 10000^(2i / dim))}, held in buffer {@code pe} [maxLen, dim] (saved in the state
 * dict, as in PyTorch's tutorial module, but never trained; FLOAT32 until the module is cast). The input is not scaled by sqrt(dim).
 */
public final class SinusoidalPositionalEncoding extends PositionalEncoding {
    /** A table for up to {@code maxLen} positions of width {@code dim}. */
    public SinusoidalPositionalEncoding(int maxLen, int dim) {
        super(maxLen, dim);
        double[] pe = new double[maxLen * dim];
        for (int t = 0; t < maxLen; t++) {
            for (int i = 0; i < dim; i += 2) {
                double angle = t * Math.exp(-Math.log(10000.0) * i / dim);
                pe[t * dim + i] = Math.sin(angle);
                if (i + 1 < dim) {
                    pe[t * dim + i + 1] = Math.cos(angle);
                }
            }
        }
        registerBuffer("pe", Tensor.of(pe, maxLen, dim).cast(DType.FLOAT32));
    }

    @Override
    protected Variable table() {
        return Variable.constant(buffer("pe"));
    }
}
