package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Gradient accumulation over micro-batches: {@code backward} adds each micro-batch's gradient into the
 * parameters' {@code .grad}, and every {@code k}-th call of {@link #step()} updates the optimizer and clears
 * the gradients. For a loss that is a mean over the batch, scaling each micro-batch loss (or the summed
 * gradient) by {@code 1/k} makes the update that of one step on the {@code k} micro-batches concatenated, as
 * torch users do with {@code (loss / k).backward()}.
 *
 * <pre>{@code
 * GradientAccumulation acc = new GradientAccumulation(optimizer, 4);
 * for (Batch b : microBatches) {
 *     acc.scaleLoss(model.loss(b)).backward();
 *     if (acc.step()) {
 *         scheduler.step();
 *     }
 * }
 * }</pre>
 *
 * <p>Start with cleared gradients ({@code optimizer.zeroGrad()}). The counter of micro-batches is in
 * {@link #state()}; the partially accumulated gradients are not, so checkpoint at an update boundary
 * ({@link #pending()} is 0) or save the {@code .grad} tensors as well.
 */
public final class GradientAccumulation {
    private static final String MICRO = "micro_step";
    private static final String UPDATES = "updates";

    /** Where the {@code 1/k} goes. */
    public enum Scaling {
        /** Each micro-batch loss is divided by {@code k} ({@link #scaleLoss}) before its backward. */
        LOSS,
        /** Losses are left alone; the summed gradients are divided by {@code k} just before the update. */
        GRADIENTS
    }

    private final Optimizer optimizer;
    private final int steps;
    private final Scaling scaling;
    private int pending;
    private long updates;

    /** Accumulates over {@code steps} micro-batches, the losses scaled ({@link Scaling#LOSS}). */
    public GradientAccumulation(Optimizer optimizer, int steps) {
        this(optimizer, steps, Scaling.LOSS);
    }

    /** Accumulates over {@code steps} micro-batches with the given scaling. */
    public GradientAccumulation(Optimizer optimizer, int steps, Scaling scaling) {
        if (optimizer == null || scaling == null || steps < 1) {
            throw new IllegalArgumentException("GradientAccumulation: need an optimizer, a scaling and steps >= 1, got "
                    + steps + " steps");
        }
        this.optimizer = optimizer;
        this.steps = steps;
        this.scaling = scaling;
    }

    /** The number of micro-batches per update, {@code k}. */
    public int steps() {
        return steps;
    }

    /** Where the {@code 1/k} is applied. */
    public Scaling scaling() {
        return scaling;
    }

    /**
     * The micro-batch loss to call {@code backward} on: {@code loss / k} with {@link Scaling#LOSS},
     * {@code loss} itself with {@link Scaling#GRADIENTS}.
     */
    public Variable scaleLoss(Variable loss) {
        return scaling == Scaling.LOSS && steps != 1 ? loss.div(steps) : loss;
    }

    /**
     * Counts one micro-batch whose backward has run; on the {@code k}-th, divides the gradients by {@code k}
     * (with {@link Scaling#GRADIENTS}), steps the optimizer, clears the gradients and returns true.
     */
    public boolean step() {
        return step(null);
    }

    /**
     * As {@link #step()}, running {@code beforeUpdate} (when not null) on the full accumulated, scaled
     * gradient just before the optimizer steps: the place for {@link Clipping}.
     */
    public boolean step(@Nullable Runnable beforeUpdate) {
        if (pending + 1 < steps) {
            pending++;
            return false;
        }
        if (scaling == Scaling.GRADIENTS && steps != 1) {
            for (ParamGroup g : optimizer.paramGroups()) {
                for (Variable p : g.params().values()) {
                    Tensor grad = p.grad();
                    if (grad != null) {
                        grad.div_(steps);
                    }
                }
            }
        }
        if (beforeUpdate != null) {
            beforeUpdate.run();
        }
        optimizer.step();
        optimizer.zeroGrad();
        pending = 0;
        updates++;
        return true;
    }

    /** Micro-batches counted since the last update (0 to {@code k − 1}). */
    public int pending() {
        return pending;
    }

    /** Optimizer updates made so far. */
    public long updates() {
        return updates;
    }

    /** {@code micro_step} (an {@code Integer}, the micro-batches pending) and {@code updates} (a {@code Long}). */
    public Map<String, Object> state() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(MICRO, pending);
        out.put(UPDATES, updates);
        return out;
    }

    /**
     * Restores a state written by {@link #state()}; every problem (a missing or non-numeric entry, a count
     * outside {@code [0, k)}) is reported at once and nothing changes when there is one.
     */
    public void loadState(Map<String, ?> state) {
        List<String> problems = new ArrayList<>();
        long micro = 0;
        long newUpdates = 0;
        if (state.get(MICRO) instanceof Number n) {
            micro = n.longValue();
            if (micro < 0 || micro >= steps) {
                problems.add("'" + MICRO + "' " + micro + " outside [0, " + steps + ")");
            }
        } else {
            problems.add("no numeric '" + MICRO + "'");
        }
        if (state.get(UPDATES) instanceof Number n) {
            newUpdates = n.longValue();
            if (newUpdates < 0) {
                problems.add("a negative '" + UPDATES + "' " + newUpdates);
            }
        } else {
            problems.add("no numeric '" + UPDATES + "'");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("GradientAccumulation.loadState: " + String.join("; ", problems));
        }
        pending = (int) micro;
        updates = newUpdates;
    }
}
