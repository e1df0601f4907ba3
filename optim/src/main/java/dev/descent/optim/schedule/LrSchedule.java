package dev.descent.optim.schedule;

/**
 * A schedule: the value of a hyperparameter at a step as a pure function of that step and the parameter
 * group's base value. Named for its usual use, the learning rate, it drives any hyperparameter a
 * {@link Scheduler} is bound to (momentum, β1, weight decay): "lr" below reads "value of that key". Being pure, a schedule has no state of its own; the step counter lives in the
 * {@link Scheduler} that applies it, which is what makes save and restore exact.
 */
@FunctionalInterface
public interface LrSchedule {
    /**
     * The learning rate after {@code step} scheduler steps (0 for the first optimizer update, see the package
     * documentation) for a group whose base learning rate is {@code baseLr}.
     */
    double lr(long step, double baseLr);
}
