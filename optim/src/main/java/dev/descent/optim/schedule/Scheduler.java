package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies an {@link LrSchedule} to one hyperparameter of every parameter group of an optimizer, as
 * torch.optim.lr_scheduler's schedulers do for the learning rate. The hyperparameter is {@code lr} by default;
 * any other key of the groups can be driven the same way ({@code momentum}, {@code beta1},
 * {@code weight_decay}, ...), e.g. a second scheduler on {@code momentum} beside one on {@code lr} for
 * one-cycle training. Building it records each group's current value of the key as the group's base value,
 * sets the counter to 0 and sets {@code key = schedule.lr(0, base)}; each {@link #step()} advances the counter
 * and sets {@code key = schedule.lr(step, base)}. Call it after {@code optimizer.step()}.
 *
 * <p>Learning rates are always computed from the closed form, never by updating the previous value, so a
 * restored scheduler continues bit for bit. To combine schedules use {@link Schedules#chained} or
 * {@link Schedules#sequential} rather than two schedulers on one optimizer: a second scheduler would take the
 * first one's output as its base.
 */
public final class Scheduler {
    private static final String STEP = "step";

    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final String key;
    private final String basePrefix;
    private final double[] baseLrs;
    private long step;

    /** Binds {@code schedule} to {@code optimizer} and applies its step-0 learning rate to every group. */
    public Scheduler(Optimizer optimizer, LrSchedule schedule) {
        this(optimizer, schedule, "lr");
    }

    /**
     * Binds {@code schedule} to hyperparameter {@code key} of every group of {@code optimizer} and applies its
     * step-0 value. Every group must have the key (the optimizer's error names the ones it has).
     */
    public Scheduler(Optimizer optimizer, LrSchedule schedule, String key) {
        if (optimizer == null || schedule == null || key == null || key.isEmpty()) {
            throw new IllegalArgumentException("Scheduler: optimizer, schedule and key must be given");
        }
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.key = key;
        this.basePrefix = "base_" + key + ".";
        List<ParamGroup> groups = optimizer.paramGroups();
        this.baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            baseLrs[i] = groups.get(i).get(key);
        }
        apply(values(step));
    }

    /**
     * Advances the counter by one and sets every group's value for the new step. When the schedule fails at
     * the new step (a one-cycle schedule past its end), the counter and the groups stay as they were.
     */
    public void step() {
        double[] next = values(step + 1);
        step++;
        apply(next);
    }

    /** The hyperparameter this scheduler drives ({@code lr} unless another key was given). */
    public String key() {
        return key;
    }

    /** The base value of this scheduler's hyperparameter for group {@code group}. */
    public double baseValue(int group) {
        return baseLrs[group];
    }

    /** The value of this scheduler's hyperparameter each group has now, in group order. */
    public List<Double> lastValues() {
        List<Double> out = new ArrayList<>(baseLrs.length);
        for (ParamGroup g : optimizer.paramGroups()) {
            out.add(g.get(key));
        }
        return out;
    }

    /** The number of {@link #step()} calls so far (0 right after construction). */
    public long stepCount() {
        return step;
    }

    /**
     * The base value of group {@code group}, recorded at construction or restored (the base learning rate for
     * an {@code lr} scheduler; see {@link #baseValue}).
     */
    public double baseLr(int group) {
        return baseLrs[group];
    }

    /** The learning rate each group has now, in group order (whatever key this scheduler drives). */
    public List<Double> lastLr() {
        List<Double> out = new ArrayList<>(baseLrs.length);
        for (ParamGroup g : optimizer.paramGroups()) {
            out.add(g.get("lr"));
        }
        return out;
    }

    /** The schedule this scheduler applies. */
    public LrSchedule schedule() {
        return schedule;
    }

    /**
     * The state that resumes this scheduler exactly: {@code step} (a {@code Long}) and {@code base_<key>.<i>}
     * (a {@code Double} per group: {@code base_lr.<i>} for the learning rate).
     */
    public Map<String, Object> state() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(STEP, step);
        for (int i = 0; i < baseLrs.length; i++) {
            out.put(basePrefix + i, baseLrs[i]);
        }
        return out;
    }

    /**
     * Restores a state written by {@link #state()} and sets every group's value for the restored
     * step. Every problem (a missing or non-numeric entry, a group count that differs) is reported at once,
     * and nothing changes when there is one.
     */
    public void loadState(Map<String, ?> state) {
        List<String> problems = new ArrayList<>();
        long newStep = 0;
        if (state.get(STEP) instanceof Number n) {
            newStep = n.longValue();
            if (newStep < 0) {
                problems.add("a negative step " + newStep);
            }
        } else {
            problems.add("no numeric '" + STEP + "'");
        }
        double[] newBase = new double[baseLrs.length];
        for (int i = 0; i < newBase.length; i++) {
            if (state.get(basePrefix + i) instanceof Number n) {
                newBase[i] = n.doubleValue();
            } else {
                problems.add("no numeric '" + basePrefix + i + "'");
            }
        }
        for (String k : state.keySet()) {
            if (k.startsWith(basePrefix)) {
                String index = k.substring(basePrefix.length());
                if (!index.matches("\\d+") || Integer.parseInt(index) >= baseLrs.length) {
                    problems.add("'" + k + "' but the optimizer has " + baseLrs.length + " group(s)");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Scheduler.loadState: " + String.join("; ", problems));
        }
        double[] values = new double[newBase.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = schedule.lr(newStep, newBase[i]);
        }
        step = newStep;
        System.arraycopy(newBase, 0, baseLrs, 0, newBase.length);
        apply(values);
    }

    private double[] values(long at) {
        double[] out = new double[baseLrs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = schedule.lr(at, baseLrs[i]);
        }
        return out;
    }

    private void apply(double[] values) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < values.length; i++) {
            groups.get(i).set(key, values[i]);
        }
    }
}
