package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies an {@link LrSchedule} to every parameter group of an optimizer, as torch.optim.lr_scheduler's
 * schedulers do. Building it records each group's current {@code lr} as the group's base learning rate, sets
 * the counter to 0 and sets {@code lr = schedule.lr(0, base)}; each {@link #step()} advances the counter and
 * sets {@code lr = schedule.lr(step, base)}. Call it after {@code optimizer.step()}.
 *
 * <p>Learning rates are always computed from the closed form, never by updating the previous value, so a
 * restored scheduler continues bit for bit. To combine schedules use {@link Schedules#chained} or
 * {@link Schedules#sequential} rather than two schedulers on one optimizer: a second scheduler would take the
 * first one's output as its base.
 */
public final class Scheduler {
    private static final String STEP = "step";
    private static final String BASE_LR = "base_lr.";

    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final double[] baseLrs;
    private long step;

    /** Binds {@code schedule} to {@code optimizer} and applies its step-0 learning rate to every group. */
    public Scheduler(Optimizer optimizer, LrSchedule schedule) {
        if (optimizer == null || schedule == null) {
            throw new IllegalArgumentException("Scheduler: optimizer and schedule must not be null");
        }
        this.optimizer = optimizer;
        this.schedule = schedule;
        List<ParamGroup> groups = optimizer.paramGroups();
        this.baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            baseLrs[i] = groups.get(i).get("lr");
        }
        apply();
    }

    /** Advances the counter by one and sets every group's learning rate for the new step. */
    public void step() {
        step++;
        apply();
    }

    /** The number of {@link #step()} calls so far (0 right after construction). */
    public long stepCount() {
        return step;
    }

    /** The base learning rate of group {@code group}, recorded at construction or restored. */
    public double baseLr(int group) {
        return baseLrs[group];
    }

    /** The learning rate each group has now, in group order. */
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
     * The state that resumes this scheduler exactly: {@code step} (a {@code Long}) and {@code base_lr.<i>}
     * (a {@code Double} per group).
     */
    public Map<String, Object> state() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(STEP, step);
        for (int i = 0; i < baseLrs.length; i++) {
            out.put(BASE_LR + i, baseLrs[i]);
        }
        return out;
    }

    /**
     * Restores a state written by {@link #state()} and sets every group's learning rate for the restored
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
            if (state.get(BASE_LR + i) instanceof Number n) {
                newBase[i] = n.doubleValue();
            } else {
                problems.add("no numeric '" + BASE_LR + i + "'");
            }
        }
        for (String k : state.keySet()) {
            if (k.startsWith(BASE_LR)) {
                String index = k.substring(BASE_LR.length());
                if (!index.matches("\\d+") || Integer.parseInt(index) >= baseLrs.length) {
                    problems.add("'" + k + "' but the optimizer has " + baseLrs.length + " group(s)");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Scheduler.loadState: " + String.join("; ", problems));
        }
        step = newStep;
        System.arraycopy(newBase, 0, baseLrs, 0, newBase.length);
        apply();
    }

    private void apply() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < baseLrs.length; i++) {
            groups.get(i).set("lr", schedule.lr(step, baseLrs[i]));
        }
    }
}
