package dev.descent.analysis.warmup;

import dev.descent.autograd.Variable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Frobenius norm of the loss gradient with respect to every parameter tensor at one step, and the total (the
 * norm of all of them together, as {@code clip_grad_norm_} measures it). Step 0 is the gradient at the initial
 * weights, on the first batch.
 *
 * @param step      the 0-based step whose batch the gradient is of (taken before that step's update)
 * @param total     {@code sqrt(Σ ‖g_i‖²)} over every parameter tensor
 * @param perTensor {@code ‖g_i‖_F} by parameter name, in the model's parameter order
 */
public record GradientSnapshot(long step, double total, Map<String, Double> perTensor) {
    /** Keeps the per-tensor norms in the order given. */
    public GradientSnapshot {
        perTensor = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(perTensor));
    }

    /** The norms of the {@code .grad} of {@code parameters} (a tensor without a gradient counts as 0). */
    public static GradientSnapshot of(long step, Map<String, Variable> parameters) {
        Map<String, Double> norms = new LinkedHashMap<>();
        double sumSquares = 0;
        for (Map.Entry<String, Variable> e : parameters.entrySet()) {
            double s = 0;
            if (e.getValue().grad() != null) {
                // accumulate in double: the gradients are float32, and their squares span many decades
                for (double g : e.getValue().grad().toDoubleArray()) {
                    s += g * g;
                }
            }
            norms.put(e.getKey(), Math.sqrt(s));
            sumSquares += s;
        }
        return new GradientSnapshot(step, Math.sqrt(sumSquares), norms);
    }
}
