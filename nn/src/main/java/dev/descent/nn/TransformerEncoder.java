package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A stack of {@link TransformerEncoderLayer}s and an optional final LayerNorm, as
 * {@code torch.nn.TransformerEncoder}: children {@code layers} ({@code layers.0}, {@code layers.1}, ...) and
 * {@code norm}. Pre-LN stacks need the final norm (Xiong et al.'s {@code LN(x_{L+1})}); Post-LN stacks end
 * normalised already and usually have none.
 */
public final class TransformerEncoder extends Layer {
    private final ModuleList<TransformerEncoderLayer> layers;
    private final LayerNorm norm;

    /**
     * {@code numLayers} blocks of ReLU and LayerNorm eps 1e-5, each initialised independently from {@code rng},
     * with a final LayerNorm exactly when {@code normPosition} is PRE.
     */
    public TransformerEncoder(int numLayers, int dModel, int nHead, int dimFeedforward, double dropout,
                              NormPosition normPosition, Rng rng) {
        this(() -> new TransformerEncoderLayer(dModel, nHead, dimFeedforward, dropout, normPosition, rng), numLayers,
                normPosition == NormPosition.PRE ? new LayerNorm(dModel) : null);
    }

    /**
     * {@code numLayers} blocks made by {@code layer} and the final {@code norm} (or null), in PyTorch's argument
     * order. Unlike PyTorch, which deep-copies one layer so that every block starts with the same weights,
     * the factory is called once per block, so each draws its own initial weights.
     */
    public TransformerEncoder(Supplier<TransformerEncoderLayer> layer, int numLayers, @Nullable LayerNorm norm) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("TransformerEncoder: numLayers must be positive, got " + numLayers);
        }
        this.layers = registerModule("layers", new ModuleList<>());
        for (int i = 0; i < numLayers; i++) {
            layers.add(layer.get());
        }
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    /** The blocks. */
    public ModuleList<TransformerEncoderLayer> layers() {
        return layers;
    }

    /** The final LayerNorm, or null. */
    public @Nullable LayerNorm norm() {
        return norm;
    }

    /** The stack without masks. */
    @Override
    public Variable forward(Variable src) {
        return forward(src, null, null, false);
    }

    /**
     * The stack, each block given the same masks (see {@link TransformerEncoderLayer#forward(Variable, Tensor,
     * Tensor, boolean)}), then the final norm if any.
     */
    public Variable forward(Variable src, @Nullable Tensor mask, @Nullable Tensor srcKeyPaddingMask, boolean isCausal) {
        Variable x = src;
        for (TransformerEncoderLayer layer : layers) {
            x = layer.forward(x, mask, srcKeyPaddingMask, isCausal);
        }
        return norm == null ? x : norm.forward(x);
    }
}
