package dev.descent.nn;

import dev.descent.autograd.Variable;
import org.jspecify.annotations.Nullable;

/**
 * Batch normalisation of {@code [N, C, H, W]} per channel, as {@code torch.nn.BatchNorm2d}: eps 1e-5,
 * momentum 0.1, affine, tracking running statistics by default (see {@link BatchNormBase} for the
 * parameters and buffers, named as PyTorch's).
 */
public final class BatchNorm2d extends BatchNormBase {
    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, running statistics tracked. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** Every option; a null {@code momentum} gives the cumulative moving average. */
    public BatchNorm2d(int numFeatures, double eps, @Nullable Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    void checkInput(Variable input) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException("BatchNorm2d: expected 4D input, got shape " + input.shape());
        }
    }
}
