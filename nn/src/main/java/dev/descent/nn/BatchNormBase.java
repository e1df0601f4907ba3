package dev.descent.nn;

import dev.descent.autograd.Variable;
import dev.descent.nn.functional.F;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * What {@link BatchNorm1d} and {@link BatchNorm2d} share, as PyTorch's {@code _BatchNorm}: per-channel
 * normalisation of {@code [N, C, ...]} with batch statistics in training and running statistics in evaluation.
 *
 * <p>Parameters {@code weight} (ones) and {@code bias} (zeros) when affine; buffers {@code running_mean}
 * (zeros), {@code running_var} (ones) and {@code num_batches_tracked} (an INT64 scalar) when tracking running
 * statistics. Each training step adds one to {@code num_batches_tracked} and moves the running statistics
 * toward the batch's by {@code momentum} (the variance unbiased); a null momentum gives the cumulative average
 * {@code 1 / num_batches_tracked}, as PyTorch's {@code momentum=None}.
 *
 * <p>{@link #freezeRunningStats(boolean) Frozen} running statistics are never written: training mode then
 * normalises with the batch's statistics without recording them (what GradInit gets from
 * {@code track_running_stats=False}), so curvature code can differentiate a training-mode forward pass without
 * changing the model.
 */
public abstract class BatchNormBase extends Layer {
    private final int numFeatures;
    private final double eps;
    private @Nullable Double momentum;
    private final Variable weight;
    private final Variable bias;
    private final boolean trackRunningStats;
    private boolean runningStatsFrozen;

    BatchNormBase(int numFeatures, double eps, @Nullable Double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": num_features must be positive, got "
                    + numFeatures);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.trackRunningStats = trackRunningStats;
        this.weight = affine ? registerParameter("weight", Tensor.ones(numFeatures)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(numFeatures)) : null;
        if (trackRunningStats) {
            registerBuffer("running_mean", Tensor.zeros(numFeatures));
            registerBuffer("running_var", Tensor.ones(numFeatures));
            registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT64));
        }
    }

    /** Throws unless {@code input} has a rank this layer accepts. */
    abstract void checkInput(Variable input);

    /** Normalises {@code input} per channel and applies the affine map; in training, updates the running statistics. */
    @Override
    public final Variable forward(Variable input) {
        checkInput(input);
        if (input.size(1) != numFeatures) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input of shape " + input.shape()
                    + " has " + input.size(1) + " channels, expected " + numFeatures);
        }
        if (isTraining() && runningStatsFrozen) {
            // batch statistics; without running tensors there is nothing to record into
            return F.batchNorm(input, null, null, weight, bias, true, 0, eps);
        }
        double factor = momentum == null ? 0 : momentum;
        if (isTraining() && trackRunningStats) {
            Tensor tracked = buffer("num_batches_tracked").add_(1);
            if (momentum == null) {
                factor = 1.0 / tracked.item();
            }
        }
        Tensor mean = trackRunningStats ? buffer("running_mean") : null;
        Tensor var = trackRunningStats ? buffer("running_var") : null;
        // without running statistics, evaluation normalises with the batch's, as PyTorch
        return F.batchNorm(input, mean, var, weight, bias, isTraining() || !trackRunningStats, factor, eps);
    }

    /**
     * Freezes (or unfreezes) the running statistics: while frozen, a training-mode forward pass normalises with
     * the batch's statistics and leaves {@code running_mean}, {@code running_var} and {@code num_batches_tracked}
     * untouched; evaluation mode is unaffected. Not part of the state dict.
     */
    public final void freezeRunningStats(boolean frozen) {
        this.runningStatsFrozen = frozen;
    }

    /**
     * PyTorch's {@code reset_running_stats()}: running mean 0, running variance 1, no batches tracked; nothing
     * when running statistics are not tracked.
     */
    public final void resetRunningStats() {
        if (trackRunningStats) {
            buffer("running_mean").fill_(0);
            buffer("running_var").fill_(1);
            buffer("num_batches_tracked").fill_(0);
        }
    }

    /** Sets the momentum (null: the cumulative average), returning the previous one; for {@link BatchNormStatistics}. */
    final @Nullable Double swapMomentum(@Nullable Double next) {
        Double previous = momentum;
        momentum = next;
        return previous;
    }

    /** Whether the running statistics are frozen (see {@link #freezeRunningStats(boolean)}). */
    public final boolean runningStatsFrozen() {
        return runningStatsFrozen;
    }

    /** The scale [C], or null when not affine. */
    public final @Nullable Variable weight() {
        return weight;
    }

    /** The shift [C], or null when not affine. */
    public final @Nullable Variable bias() {
        return bias;
    }

    /** The running mean [C] (a buffer, updated in place), or null when running statistics are not tracked. */
    public final @Nullable Tensor runningMean() {
        return trackRunningStats ? buffer("running_mean") : null;
    }

    /** The running (unbiased) variance [C], or null when running statistics are not tracked. */
    public final @Nullable Tensor runningVar() {
        return trackRunningStats ? buffer("running_var") : null;
    }

    /** The number of training steps seen, or -1 when running statistics are not tracked. */
    public final long numBatchesTracked() {
        return trackRunningStats ? (long) buffer("num_batches_tracked").item() : -1;
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + Repr.num(eps) + ", momentum=" + (momentum == null ? "None" : Repr.num(momentum))
                + ", affine=" + Repr.flag(weight != null) + ", track_running_stats=" + Repr.flag(trackRunningStats);
    }
}
