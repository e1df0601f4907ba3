package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.init.Init;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The embedding of bitsandbytes' {@code StableEmbedding} (Dettmers et al., 2022), meant for training with
 * 8-bit optimizers: weight Xavier-uniform, U(-r, r) with {@code r = sqrt(6 / (num + dim))} (padding row
 * zeroed), the looked-up vectors passed through a {@link LayerNorm} over {@code dim} registered as
 * {@code norm}, and the weight's optimizer state kept in 32 bits whatever the optimizer's setting
 * ({@link #fullPrecisionStateParameters}).
 *
 * <p>bitsandbytes runs the layer norm in the default dtype and casts back, for fp16 weights; Descent's
 * floating-point dtypes are FLOAT32 and FLOAT64, so the norm runs in the weight's dtype.
 */
public final class StableEmbedding extends Embedding {
    /** The optimizer-state precision, in bits, that bitsandbytes registers for this layer's weight. */
    public static final int WEIGHT_OPTIM_BITS = 32;

    private final LayerNorm norm;

    /** {@code num} vectors of size {@code dim}, no padding row. */
    public StableEmbedding(int num, int dim, Rng rng) {
        this(num, dim, -1, rng);
    }

    /** {@code num} vectors of size {@code dim}; row {@code paddingIdx} (if >= 0) is zero and gets no gradient. */
    public StableEmbedding(int num, int dim, int paddingIdx, Rng rng) {
        super(num, dim, paddingIdx, Init.xavierUniform_(Tensor.zeros(num, dim), 1, rng));
        this.norm = registerModule("norm", new LayerNorm(dim));
    }

    /** The layer norm applied to every looked-up vector. */
    public LayerNorm norm() {
        return norm;
    }

    /** The layer-normalised vectors at INT64 {@code indices} (any shape): shape indices ++ [dim]. */
    @Override
    public Variable forward(Tensor indices) {
        return norm.forward(super.forward(indices));
    }

    /**
     * The dotted names, in {@code model}'s naming, of the parameters whose optimizer state must stay 32-bit:
     * the weight of every StableEmbedding in the tree (bitsandbytes' {@code optim_bits=32} override). An 8-bit
     * optimizer, which sees only named parameters, is given this set.
     */
    public static Set<String> fullPrecisionStateParameters(Module model) {
        Set<String> names = new LinkedHashSet<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof StableEmbedding) {
                names.add(e.getKey().isEmpty() ? "weight" : e.getKey() + ".weight");
            }
        }
        return names;
    }
}
