package dev.descent.analysis.warmup;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one training run of a warmup study measured (its loss curve is kept apart, in {@link LossCurve}).
 *
 * @param id            the cell's folder name ({@link WarmupCell#id()})
 * @param cell          the grid point
 * @param settings      the study's shared settings ({@link WarmupSettings#describe()}) the run used
 * @param classes       output classes; {@code ln(classes)} is the loss of a uniform prediction
 * @param initialLoss   the loss at step 0 (the initial weights)
 * @param finalLoss     the mean loss of the last {@code window} steps run (NaN or ∞ when they include a
 *                      non-finite loss)
 * @param diverged      whether the divergence rule stopped the run
 * @param divergedAt    the 0-based step at which it did, or null
 * @param stepsToTarget the first number of updates after which the mean of the last {@code window} losses was
 *                      at or below the target loss, or null if it never was
 * @param stepsRun      losses recorded (the steps of the settings unless the run diverged)
 * @param status        {@code diverged}, {@code reached-target} or {@code above-target}
 * @param gradients     the gradient norms at the recorded steps that the run reached
 */
public record CellResult(String id, WarmupCell cell, Map<String, Object> settings, int classes, double initialLoss,
                         double finalLoss, boolean diverged, @Nullable Long divergedAt, @Nullable Long stepsToTarget, long stepsRun,
                         String status, List<GradientSnapshot> gradients) {
    /** The status of a run that diverged. */
    public static final String DIVERGED = "diverged";
    /** The status of a run that reached the target loss. */
    public static final String REACHED = "reached-target";
    /** The status of a run that neither diverged nor reached the target loss. */
    public static final String ABOVE = "above-target";

    /** Copies the gradient list. */
    public CellResult {
        gradients = List.copyOf(gradients);
    }
}
