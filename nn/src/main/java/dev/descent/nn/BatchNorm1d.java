package dev.descent.nn;

import dev.descent.autograd.Variable;
import org.jspecify.annotations.Nullable;

/**
 * Batch normalisation of {@code [N, C]} or {@code [N, C, L]} per channel, as {@code torch.nn.BatchNorm1d}:
 * eps 1e-5, momentum 0.1, affine, tracking running statistics by default (see {@link BatchNormBase} for the
 * parameters and buffers, named as PyTorch's).
 */
public final class BatchNorm1d extends BatchNormBase {
    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, running statistics tracked. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** Every option; a null {@code momentum} gives the cumulative moving average. */
    public BatchNorm1d(int numFeatures, double eps, @Nullable Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    void checkInput(Variable input) {
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException("BatchNorm1d: expected 2D or 3D input, got shape " + input.shape());
        }
    }
}
