package dev.descent.optim.schedule;

import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * torch {@code ReduceLROnPlateau}: multiplies a hyperparameter of every group (the learning rate by default) by
 * {@code factor} once a metric passed to {@link #step(double)} has not improved for more than {@code patience}
 * calls, then waits {@code cooldown} calls before counting again. Unlike a {@link Scheduler} it changes the
 * groups' current values, so resuming exactly needs the optimizer's state (which holds every group's
 * hyperparameters) as well as {@link #state()}.
 *
 * <p>Improvement: in MIN mode with a relative threshold, {@code metric < best·(1 − threshold)}; absolute,
 * {@code metric < best − threshold}; MAX mode mirrors these ({@code best·(1 + threshold)},
 * {@code best + threshold}). A reduction sets {@code max(value·factor, minValue)} and is skipped for a group
 * when it would change the value by {@code eps} or less.
 */
public final class ReduceOnPlateau {
    private static final String LAST_EPOCH = "last_epoch";
    private static final String BEST = "best";
    private static final String BAD = "num_bad_epochs";
    private static final String COOLDOWN = "cooldown_counter";

    /** Whether the metric should go down (a loss) or up (an accuracy). */
    public enum Mode {
        /** Lower is better. */
        MIN,
        /** Higher is better. */
        MAX
    }

    /** How {@code threshold} is compared with the best metric so far. */
    public enum ThresholdMode {
        /** Relative to the best value: {@code best·(1 ∓ threshold)}. */
        REL,
        /** Absolute: {@code best ∓ threshold}. */
        ABS
    }

    /**
     * The settings of a {@link ReduceOnPlateau}, torch's defaults unless set: MIN, factor 0.1, patience 10,
     * threshold 1e-4 REL, cooldown 0, minimum value 0 for every group, eps 1e-8, key {@code lr}. Setters
     * return this options object.
     */
    public static final class Options {
        private Mode mode = Mode.MIN;
        private double factor = 0.1;
        private long patience = 10;
        private double threshold = 1e-4;
        private ThresholdMode thresholdMode = ThresholdMode.REL;
        private long cooldown = 0;
        private double[] minValues = {0.0};
        private double eps = 1e-8;
        private String key = "lr";

        /** torch's defaults. */
        public Options() {
        }

        /** MIN or MAX. */
        public Options mode(Mode value) {
            mode = value;
            return this;
        }

        /** The factor a reduction multiplies by, in [0, 1). */
        public Options factor(double value) {
            factor = value;
            return this;
        }

        /** How many calls without improvement are tolerated; the next one reduces. */
        public Options patience(long value) {
            patience = value;
            return this;
        }

        /** The threshold for a significant improvement, and whether it is relative or absolute. */
        public Options threshold(double value, ThresholdMode thresholdModeValue) {
            threshold = value;
            thresholdMode = thresholdModeValue;
            return this;
        }

        /** How many calls after a reduction during which bad calls are not counted. */
        public Options cooldown(long value) {
            cooldown = value;
            return this;
        }

        /** A lower bound for every group ({@code min_lr}), or one per group. */
        public Options minValue(double... values) {
            minValues = values.clone();
            return this;
        }

        /** The smallest change a reduction must make to be applied. */
        public Options eps(double value) {
            eps = value;
            return this;
        }

        /** The hyperparameter to reduce ({@code lr} by default). */
        public Options key(String value) {
            key = value;
            return this;
        }
    }

    private final Optimizer optimizer;
    private final Mode mode;
    private final double factor;
    private final long patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final long cooldown;
    private final double[] minValues;
    private final double eps;
    private final String key;

    private long lastEpoch;
    private double best;
    private long numBadEpochs;
    private long cooldownCounter;

    /** With torch's defaults on the learning rate. */
    public ReduceOnPlateau(Optimizer optimizer) {
        this(optimizer, new Options());
    }

    /** With {@code options}; fails naming the setting at fault. */
    public ReduceOnPlateau(Optimizer optimizer, Options options) {
        if (optimizer == null || options == null) {
            throw new IllegalArgumentException("ReduceOnPlateau: optimizer and options must not be null");
        }
        int groups = optimizer.paramGroups().size();
        List<String> problems = new ArrayList<>();
        if (options.mode == null) {
            problems.add("a mode (MIN or MAX)");
        }
        if (!(options.factor >= 0 && options.factor < 1)) {
            problems.add("factor in [0, 1), got " + options.factor);
        }
        if (options.patience < 0 || options.cooldown < 0) {
            problems.add("patience and cooldown >= 0, got " + options.patience + ", " + options.cooldown);
        }
        if (!(options.threshold >= 0) || options.thresholdMode == null) {
            problems.add("threshold >= 0 with a threshold mode, got " + options.threshold + " " + options.thresholdMode);
        }
        if (options.minValues.length != 1 && options.minValues.length != groups) {
            problems.add("one minimum value or one per group (" + groups + "), got "
                    + Arrays.toString(options.minValues));
        }
        if (!(options.eps >= 0)) {
            problems.add("eps >= 0, got " + options.eps);
        }
        if (options.key == null) {
            problems.add("a key");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("ReduceOnPlateau: need " + String.join("; ", problems));
        }
        for (ParamGroup g : optimizer.paramGroups()) {
            g.get(options.key);
        }
        this.optimizer = optimizer;
        this.mode = options.mode;
        this.factor = options.factor;
        this.patience = options.patience;
        this.threshold = options.threshold;
        this.thresholdMode = options.thresholdMode;
        this.cooldown = options.cooldown;
        this.minValues = new double[groups];
        for (int i = 0; i < groups; i++) {
            minValues[i] = options.minValues[options.minValues.length == 1 ? 0 : i];
        }
        this.eps = options.eps;
        this.key = options.key;
        this.best = worst();
    }

    /**
     * Records {@code metric} (the validation loss, say) and reduces the groups' values when it has not
     * improved for more than {@code patience} calls outside a cooldown. Returns whether it reduced.
     */
    public boolean step(double metric) {
        lastEpoch++;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            reduce();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
            return true;
        }
        return false;
    }

    /** Whether {@code metric} counts as an improvement on {@code best} under this mode and threshold. */
    public boolean isBetter(double metric, double best) {
        if (mode == Mode.MIN) {
            return thresholdMode == ThresholdMode.REL ? metric < best * (1.0 - threshold) : metric < best - threshold;
        }
        return thresholdMode == ThresholdMode.REL ? metric > best * (threshold + 1.0) : metric > best + threshold;
    }

    /** The best metric so far (+∞ in MIN mode, −∞ in MAX mode before the first call). */
    public double best() {
        return best;
    }

    /** Consecutive calls without improvement, counted since the last improvement, reduction or cooldown. */
    public long numBadEpochs() {
        return numBadEpochs;
    }

    /** Calls left in the current cooldown (0 outside one). */
    public long cooldownCounter() {
        return cooldownCounter;
    }

    /** The number of {@link #step(double)} calls so far. */
    public long stepCount() {
        return lastEpoch;
    }

    /** The hyperparameter this reduces. */
    public String key() {
        return key;
    }

    /** The value of the driven hyperparameter each group has now, in group order. */
    public List<Double> lastValues() {
        List<Double> out = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) {
            out.add(g.get(key));
        }
        return out;
    }

    /**
     * The state that, with the optimizer's own, resumes this exactly: {@code last_epoch},
     * {@code num_bad_epochs} and {@code cooldown_counter} ({@code Long}s) and {@code best} (a {@code Double},
     * possibly infinite), named as in torch's state dict.
     */
    public Map<String, Object> state() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(LAST_EPOCH, lastEpoch);
        out.put(BEST, best);
        out.put(BAD, numBadEpochs);
        out.put(COOLDOWN, cooldownCounter);
        return out;
    }

    /**
     * Restores a state written by {@link #state()}. Every problem (a missing, non-numeric or negative entry)
     * is reported at once, and nothing changes when there is one. The groups' values are not touched: they
     * come back with the optimizer's state.
     */
    public void loadState(Map<String, ?> state) {
        List<String> problems = new ArrayList<>();
        long[] counters = new long[3];
        String[] names = {LAST_EPOCH, BAD, COOLDOWN};
        for (int i = 0; i < names.length; i++) {
            if (state.get(names[i]) instanceof Number n) {
                counters[i] = n.longValue();
                if (counters[i] < 0) {
                    problems.add("a negative '" + names[i] + "' " + counters[i]);
                }
            } else {
                problems.add("no numeric '" + names[i] + "'");
            }
        }
        double newBest = 0;
        if (state.get(BEST) instanceof Number n) {
            newBest = n.doubleValue();
        } else {
            problems.add("no numeric '" + BEST + "'");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("ReduceOnPlateau.loadState: " + String.join("; ", problems));
        }
        lastEpoch = counters[0];
        numBadEpochs = counters[1];
        cooldownCounter = counters[2];
        best = newBest;
    }

    private void reduce() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            double old = groups.get(i).get(key);
            double reduced = Math.max(old * factor, minValues[i]);
            if (old - reduced > eps) {
                groups.get(i).set(key, reduced);
            }
        }
    }

    private double worst() {
        return mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
}
