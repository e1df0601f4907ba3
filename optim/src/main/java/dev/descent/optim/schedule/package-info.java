/**
 * Learning-rate schedules. An {@link dev.descent.optim.schedule.LrSchedule} is a pure function from a step
 * counter and a base learning rate to a learning rate; {@link dev.descent.optim.schedule.Schedules} builds
 * the usual ones (torch.optim.lr_scheduler's closed forms, Hugging Face's warmup schedules, the Transformer's
 * and fairseq's inverse square root, Ma &amp; Yarats' untuned warmup) and composes them; a
 * {@link dev.descent.optim.schedule.Scheduler} binds one to an optimizer, holds the counter and the base
 * values, and writes each parameter group's {@code lr}, or any other hyperparameter it is bound to
 * ({@code momentum}, {@code beta1}, {@code weight_decay}: one-cycle's momentum cycling is a second scheduler).
 * {@link dev.descent.optim.schedule.ReduceOnPlateau} is torch's {@code ReduceLROnPlateau}, driven by a
 * metric rather than the step.
 *
 * <p>Step convention (torch's and Hugging Face's): the counter is 0 when the scheduler is built, which
 * already sets {@code lr = schedule.lr(0, base)}; training calls {@code optimizer.step()} then
 * {@code scheduler.step()}, so optimizer update {@code k} (1-based) runs with {@code schedule.lr(k - 1, base)}.
 * Formulas written in terms of the update number {@code t >= 1} (the Transformer's, Ma &amp; Yarats') use
 * {@code t = step + 1}; each factory says which it uses.
 */
@NullMarked
package dev.descent.optim.schedule;

import org.jspecify.annotations.NullMarked;
