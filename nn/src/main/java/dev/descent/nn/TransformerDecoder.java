package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A stack of {@link TransformerDecoderLayer}s and an optional final LayerNorm, as
 * {@code torch.nn.TransformerDecoder}: children {@code layers} ({@code layers.0}, ...) and {@code norm}. Every
 * block attends to the same {@code memory}. Pre-LN stacks need the final norm; Post-LN stacks usually have none.
 */
public final class TransformerDecoder extends Module {
    private final ModuleList<TransformerDecoderLayer> layers;
    private final LayerNorm norm;

    /**
     * {@code numLayers} blocks of ReLU and LayerNorm eps 1e-5, each initialised independently from {@code rng},
     * with a final LayerNorm exactly when {@code normPosition} is PRE.
     */
    public TransformerDecoder(int numLayers, int dModel, int nHead, int dimFeedforward, double dropout,
                              NormPosition normPosition, Rng rng) {
        this(() -> new TransformerDecoderLayer(dModel, nHead, dimFeedforward, dropout, normPosition, rng), numLayers,
                normPosition == NormPosition.PRE ? new LayerNorm(dModel) : null);
    }

    /**
     * {@code numLayers} blocks made by {@code layer} and the final {@code norm} (or null). The factory is called
     * once per block, so each draws its own initial weights (PyTorch deep-copies one layer instead).
     */
    public TransformerDecoder(Supplier<TransformerDecoderLayer> layer, int numLayers, @Nullable LayerNorm norm) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("TransformerDecoder: numLayers must be positive, got " + numLayers);
        }
        this.layers = registerModule("layers", new ModuleList<>());
        for (int i = 0; i < numLayers; i++) {
            layers.add(layer.get());
        }
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    /** The blocks. */
    public ModuleList<TransformerDecoderLayer> layers() {
        return layers;
    }

    /** The final LayerNorm, or null. */
    public @Nullable LayerNorm norm() {
        return norm;
    }

    /** The stack without masks. */
    public Variable forward(Variable tgt, Variable memory) {
        return forward(tgt, memory, null, null, null, null, false, false);
    }

    /**
     * The stack, each block given the same memory and masks (see {@link TransformerDecoderLayer#forward(Variable,
     * Variable, Tensor, Tensor, Tensor, Tensor, boolean, boolean)}), then the final norm if any.
     */
    public Variable forward(Variable tgt, Variable memory, @Nullable Tensor tgtMask, @Nullable Tensor memoryMask,
                            @Nullable Tensor tgtKeyPaddingMask, @Nullable Tensor memoryKeyPaddingMask,
                            boolean tgtIsCausal, boolean memoryIsCausal) {
        Variable x = tgt;
        for (TransformerDecoderLayer layer : layers) {
            x = layer.forward(x, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal,
                    memoryIsCausal);
        }
        return norm == null ? x : norm.forward(x);
    }
}
