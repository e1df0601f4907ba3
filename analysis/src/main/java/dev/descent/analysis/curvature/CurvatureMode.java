package dev.descent.analysis.curvature;

/**
 * How a model runs while its curvature is computed. In both modes dropout (and attention dropout) is off and
 * batch-norm running statistics are never written, so every matrix-vector product sees the same function;
 * the modes differ only in which statistics batch norm normalises with. Each module's training flag is put
 * back as it was when the computation ends.
 */
public enum CurvatureMode {
    /**
     * {@code model.eval()}: batch norm normalises with its running statistics, dropout is off. The default, as
     * PyHessian's; batch norm is then affine in its input, so it adds no curvature of its own.
     */
    EVAL,

    /**
     * Batch norm normalises with each batch's own statistics (as in training) but its running statistics are
     * frozen; every other module, dropout included, is in evaluation mode. The Hessian of the loss that
     * training actually descends (Granziol et al.'s default; GradInit's {@code track_running_stats=False}).
     * Depends on how the data are cut into batches.
     */
    TRAIN_BATCH_STATS_FROZEN
}
