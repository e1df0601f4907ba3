package dev.descent.nn.functional;

import dev.descent.autograd.Variable;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;

/** Linear maps, dropout and embedding lookups. */
final class Basic {
    private Basic() {
    }

    static Variable linear(Variable x, Variable weight, Variable bias) {
        if (x.dim() == 0 || x.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: input of shape " + x.shape() + " does not match weight of shape "
                    + weight.shape() + " (expected the last dimension to be " + weight.size(1) + ")");
        }
        return x.linear(weight, bias); // the bias folded into the product
    }

    static Variable dropout(Variable x, double p, boolean training, Rng rng) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("dropout: probability " + p + " is not in [0, 1]");
        }
        if (!training || p == 0) {
            return x;
        }
        if (p == 1) {
            return x.mul(0);
        }
        // kept elements are scaled by 1 / (1 - p) so that the expectation is unchanged
        Tensor keep = Tensor.bernoulli(rng, 1 - p, x.shape().toArray()).cast(x.dtype()).mul(1 / (1 - p));
        return x.mul(Variable.constant(keep));
    }

    static Variable embedding(Tensor indices, Variable weight, int paddingIdx) {
        if (indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException("embedding: indices must be INT64, got " + indices.dtype() + " (shape "
                    + indices.shape() + ")");
        }
        int[] outShape = java.util.Arrays.copyOf(indices.shape().toArray(), indices.dim() + 1);
        outShape[indices.dim()] = weight.size(1);
        Variable rows = weight.indexSelect(0, indices.reshape(-1)).reshape(outShape);
        if (paddingIdx < 0) {
            return rows;
        }
        // the padding row's value is returned but receives no gradient, as in PyTorch
        Tensor isPad = indices.eq(paddingIdx).unsqueeze(-1);
        Variable padRow = Variable.constant(weight.value().select(0, paddingIdx));
        return Variable.where(isPad, padRow.expand(outShape), rows);
    }
}
