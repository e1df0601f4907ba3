package dev.descent.optim.schedule;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * Factories of the usual learning-rate schedules and their composition. {@code t} below is the scheduler's
 * step counter (0 for the first optimizer update), {@code base} the group's base learning rate.
 *
 * <p>The torch.optim.lr_scheduler ones use torch's closed forms ({@code _get_closed_form_lr}); torch's own
 * {@code step()} uses recursive ("chainable") forms that agree with them up to rounding. Integer arguments
 * that torch takes as {@code int} are {@code long} here.
 */
public final class Schedules {
    private Schedules() {
    }

    /** A schedule that multiplies the base rate by {@code multiplier(t)}, as torch's {@code LambdaLR}. */
    public static LrSchedule multiplier(LongToDoubleFunction multiplier) {
        if (multiplier == null) {
            throw new IllegalArgumentException("Schedules.multiplier: multiplier must not be null");
        }
        return (t, base) -> base * multiplier.applyAsDouble(t);
    }

    /** The base rate at every step. */
    public static LrSchedule constant() {
        return (t, base) -> base;
    }

    /**
     * torch {@code ConstantLR(factor, total_iters)}: {@code base·factor} for {@code t < totalIters}, then
     * {@code base} (torch's defaults are 1/3 and 5).
     */
    public static LrSchedule constant(double factor, long totalIters) {
        if (!(factor >= 0 && factor <= 1) || totalIters < 0) {
            throw new IllegalArgumentException("Schedules.constant: factor must be in [0, 1] and totalIters >= 0, got "
                    + factor + ", " + totalIters);
        }
        return (t, base) -> t < totalIters ? base * factor : base;
    }

    /** torch {@code StepLR(step_size, gamma)}: {@code base·gamma^floor(t/stepSize)}. */
    public static LrSchedule step(long stepSize, double gamma) {
        if (stepSize < 1) {
            throw new IllegalArgumentException("Schedules.step: stepSize must be >= 1, got " + stepSize);
        }
        return (t, base) -> base * Math.pow(gamma, Math.floorDiv(t, stepSize));
    }

    /**
     * torch {@code MultiStepLR(milestones, gamma)}: {@code base·gamma^k} with {@code k} the number of milestones
     * {@code <= t}. Milestones must be non-decreasing; a repeated milestone counts twice, as in torch.
     */
    public static LrSchedule multiStep(long[] milestones, double gamma) {
        long[] m = milestones.clone();
        for (int i = 1; i < m.length; i++) {
            if (m[i] < m[i - 1]) {
                throw new IllegalArgumentException("Schedules.multiStep: milestones must be non-decreasing, got "
                        + Arrays.toString(milestones));
            }
        }
        return (t, base) -> base * Math.pow(gamma, countAtMost(m, t));
    }

    /** torch {@code ExponentialLR(gamma)}: {@code base·gamma^t}. */
    public static LrSchedule exponential(double gamma) {
        return (t, base) -> base * Math.pow(gamma, t);
    }

    /**
     * torch {@code CosineAnnealingLR(T_max, eta_min)} (closed form, SGDR without restarts):
     * {@code etaMin + (base − etaMin)(1 + cos(π t / tMax))/2}. Past {@code tMax} the cosine continues, as in
     * torch.
     */
    public static LrSchedule cosine(long tMax, double etaMin) {
        if (tMax < 1) {
            throw new IllegalArgumentException("Schedules.cosine: tMax must be >= 1, got " + tMax);
        }
        return (t, base) -> cosineBetween(etaMin, base, (double) t / tMax);
    }

    /**
     * torch {@code CosineAnnealingWarmRestarts(T_0, T_mult, eta_min)} (SGDR, Loshchilov &amp; Hutter 2017):
     * {@code etaMin + (base − etaMin)(1 + cos(π T_cur / T_i))/2}, where the first period {@code T_i} is
     * {@code t0}, each next one {@code tMult} times longer, and {@code T_cur} counts the steps since the last
     * restart. Computed in integers, so restarts fall exactly where torch's counter puts them.
     */
    public static LrSchedule warmRestarts(long t0, long tMult, double etaMin) {
        if (t0 < 1 || tMult < 1) {
            throw new IllegalArgumentException("Schedules.warmRestarts: t0 and tMult must be >= 1, got " + t0 + ", "
                    + tMult);
        }
        return (t, base) -> {
            long period = t0;
            long cur = t;
            if (tMult == 1) {
                cur = t % t0;
            } else {
                while (cur >= period) {
                    cur -= period;
                    period *= tMult;
                }
            }
            return cosineBetween(etaMin, base, (double) cur / period);
        };
    }

    /**
     * torch {@code LinearLR(start_factor, end_factor, total_iters)}: the multiplier goes linearly from
     * {@code startFactor} at {@code t = 0} to {@code endFactor} at {@code t = totalIters} and stays there
     * (torch's defaults are 1/3, 1 and 5).
     */
    public static LrSchedule linear(double startFactor, double endFactor, long totalIters) {
        if (!(startFactor > 0 && startFactor <= 1) || !(endFactor >= 0 && endFactor <= 1) || totalIters < 1) {
            throw new IllegalArgumentException("Schedules.linear: need 0 < startFactor <= 1, 0 <= endFactor <= 1 and "
                    + "totalIters >= 1, got " + startFactor + ", " + endFactor + ", " + totalIters);
        }
        return (t, base) -> base * (startFactor
                + (endFactor - startFactor) * Math.min(totalIters, t) / totalIters);
    }

    /**
     * torch {@code PolynomialLR(total_iters, power)}: {@code base·(1 − min(t, totalIters)/totalIters)^power}
     * (torch's defaults are 5 and 1).
     */
    public static LrSchedule polynomial(long totalIters, double power) {
        if (totalIters < 1) {
            throw new IllegalArgumentException("Schedules.polynomial: totalIters must be >= 1, got " + totalIters);
        }
        return (t, base) -> base * Math.pow(1.0 - (double) Math.min(totalIters, t) / totalIters, power);
    }

    /**
     * Hugging Face {@code get_linear_schedule_with_warmup}: multiplier {@code t/max(1, W)} for {@code t < W}
     * (0 at the first update), then {@code max(0, (total − t)/max(1, total − W))}.
     */
    public static LrSchedule hfLinearWithWarmup(long warmupSteps, long totalSteps) {
        checkWarmup("hfLinearWithWarmup", warmupSteps, totalSteps);
        return (t, base) -> base * (t < warmupSteps ? hfWarmup(t, warmupSteps)
                : Math.max(0.0, (double) (totalSteps - t) / Math.max(1, totalSteps - warmupSteps)));
    }

    /**
     * Hugging Face {@code get_cosine_schedule_with_warmup}: linear warmup as {@link #hfLinearWithWarmup}, then
     * {@code max(0, (1 + cos(2π · cycles · progress))/2)} with {@code progress = (t − W)/max(1, total − W)}
     * (HF's default {@code cycles} is 0.5, a half cosine down to 0).
     */
    public static LrSchedule hfCosineWithWarmup(long warmupSteps, long totalSteps, double cycles) {
        checkWarmup("hfCosineWithWarmup", warmupSteps, totalSteps);
        return (t, base) -> {
            if (t < warmupSteps) {
                return base * hfWarmup(t, warmupSteps);
            }
            double progress = (double) (t - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
            return base * Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * cycles * 2.0 * progress)));
        };
    }

    /**
     * Hugging Face {@code get_cosine_with_hard_restarts_schedule_with_warmup}: linear warmup, then
     * {@code (1 + cos(π · ((cycles · progress) mod 1)))/2}, and 0 once {@code progress >= 1} (HF's default
     * {@code cycles} is 1).
     */
    public static LrSchedule hfCosineWithHardRestarts(long warmupSteps, long totalSteps, long cycles) {
        checkWarmup("hfCosineWithHardRestarts", warmupSteps, totalSteps);
        return (t, base) -> {
            if (t < warmupSteps) {
                return base * hfWarmup(t, warmupSteps);
            }
            double progress = (double) (t - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
            if (progress >= 1.0) {
                return 0.0;
            }
            double phase = (cycles * progress) % 1.0;
            return base * Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * phase)));
        };
    }

    /**
     * Hugging Face {@code get_polynomial_decay_schedule_with_warmup}: linear warmup, then
     * {@code ((base − lrEnd)(1 − (t − W)/(total − W))^power + lrEnd)}, and {@code lrEnd} past {@code total}.
     * HF divides by the optimizer's default lr and multiplies by the group's; here {@code base} plays both
     * parts (they are the same unless groups set their own lr).
     */
    public static LrSchedule hfPolynomialWithWarmup(long warmupSteps, long totalSteps, double lrEnd, double power) {
        checkWarmup("hfPolynomialWithWarmup", warmupSteps, totalSteps);
        if (totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("Schedules.hfPolynomialWithWarmup: totalSteps must exceed warmupSteps, got "
                    + totalSteps + ", " + warmupSteps);
        }
        return (t, base) -> {
            if (t < warmupSteps) {
                return base * hfWarmup(t, warmupSteps);
            }
            if (t > totalSteps) {
                return lrEnd;
            }
            double remaining = 1.0 - (double) (t - warmupSteps) / (totalSteps - warmupSteps);
            return (base - lrEnd) * Math.pow(remaining, power) + lrEnd;
        };
    }

    /**
     * Hugging Face {@code get_inverse_sqrt_schedule}: linear warmup, then
     * {@code 1/sqrt((t + timescale − W)/timescale)}. A {@code timescale} of 0 means HF's default: {@code W}, or
     * 10 000 when {@code W} is 0.
     */
    public static LrSchedule hfInverseSqrt(long warmupSteps, long timescale) {
        if (warmupSteps < 0 || timescale < 0) {
            throw new IllegalArgumentException("Schedules.hfInverseSqrt: warmupSteps and timescale must be >= 0, got "
                    + warmupSteps + ", " + timescale);
        }
        long scale = timescale > 0 ? timescale : warmupSteps > 0 ? warmupSteps : 10_000;
        long shift = scale - warmupSteps;
        return (t, base) -> base * (t < warmupSteps ? hfWarmup(t, warmupSteps)
                : 1.0 / Math.sqrt((double) (t + shift) / scale));
    }

    /**
     * The Transformer's schedule (Vaswani et al. 2017, §5.3) as a multiplier of the base rate:
     * {@code base · dModel^−0.5 · min(u^−0.5, u · W^−1.5)} with the update number {@code u = t + 1}. With
     * {@code base = 1} this is the paper's learning rate (the paper uses {@code W = 4000}; the annotated
     * Transformer's "factor" is {@code base}).
     */
    public static LrSchedule transformer(int dModel, long warmupSteps) {
        if (dModel < 1 || warmupSteps < 1) {
            throw new IllegalArgumentException("Schedules.transformer: dModel and warmupSteps must be >= 1, got "
                    + dModel + ", " + warmupSteps);
        }
        double scale = 1.0 / Math.sqrt(dModel);
        double warm = Math.pow(warmupSteps, -1.5);
        return (t, base) -> {
            double u = t + 1.0;
            return base * scale * Math.min(1.0 / Math.sqrt(u), u * warm);
        };
    }

    /**
     * fairseq's {@code inverse_sqrt}: linear from {@code warmupInitLr} to {@code base} over {@code W} updates
     * ({@code warmupInitLr + t·(base − warmupInitLr)/W} for {@code t < W}), then {@code base·sqrt(W)/sqrt(t)}.
     * fairseq counts finished updates, so {@code t} is this scheduler's counter and the first update runs with
     * {@code warmupInitLr}. A negative {@code warmupInitLr} means fairseq's default of 0.
     */
    public static LrSchedule fairseqInverseSqrt(long warmupSteps, double warmupInitLr) {
        if (warmupSteps < 1) {
            throw new IllegalArgumentException("Schedules.fairseqInverseSqrt: warmupSteps must be >= 1, got "
                    + warmupSteps);
        }
        double init = warmupInitLr < 0 ? 0.0 : warmupInitLr;
        double sqrtW = Math.sqrt(warmupSteps);
        return (t, base) -> t < warmupSteps ? init + t * ((base - init) / warmupSteps) : base * sqrtW / Math.sqrt(t);
    }

    /**
     * Ma &amp; Yarats' untuned linear warmup (AAAI 2021): multiplier {@code min(1, u(1 − β2)/2)} with the update
     * number {@code u = t + 1}, i.e. linear over {@code 2/(1 − β2)} updates (2000 for β2 = 0.999).
     */
    public static LrSchedule untunedLinearWarmup(double beta2) {
        checkBeta2("untunedLinearWarmup", beta2);
        return (t, base) -> base * Math.min(1.0, (t + 1.0) * (1.0 - beta2) / 2.0);
    }

    /**
     * Ma &amp; Yarats' untuned exponential warmup: multiplier {@code 1 − exp(−(1 − β2)u)} with the update number
     * {@code u = t + 1}.
     */
    public static LrSchedule untunedExponentialWarmup(double beta2) {
        checkBeta2("untunedExponentialWarmup", beta2);
        return (t, base) -> base * -Math.expm1(-(1.0 - beta2) * (t + 1.0));
    }

    /**
     * torch {@code SequentialLR}: {@code schedules.get(0)} until {@code milestones[0]}, then the next one with its
     * own counter starting again at 0, and so on: at {@code t} the schedule in force is the one after the last
     * milestone {@code <= t}, run at step {@code t − that milestone}. Milestones must be strictly increasing
     * and positive, one fewer than the schedules.
     */
    public static LrSchedule sequential(List<LrSchedule> schedules, long... milestones) {
        if (schedules.isEmpty() || milestones.length != schedules.size() - 1) {
            throw new IllegalArgumentException("Schedules.sequential: need one milestone fewer than schedules, got "
                    + schedules.size() + " schedule(s) and " + milestones.length + " milestone(s)");
        }
        long[] m = milestones.clone();
        for (int i = 0; i < m.length; i++) {
            if (m[i] < 1 || (i > 0 && m[i] <= m[i - 1])) {
                throw new IllegalArgumentException("Schedules.sequential: milestones must be positive and strictly "
                        + "increasing, got " + Arrays.toString(milestones));
            }
        }
        LrSchedule[] s = schedules.toArray(LrSchedule[]::new);
        return (t, base) -> {
            int k = countAtMost(m, t);
            return s[k].lr(k == 0 ? t : t - m[k - 1], base);
        };
    }

    /**
     * The schedules applied one after the other at the same step, each to the previous one's output:
     * {@code s_n(t, … s_2(t, s_1(t, base)))}. For multiplier schedules (all torch ones but those with an
     * {@code etaMin}) this is the product of the multipliers, as torch's {@code ChainedScheduler}; torch chains
     * an {@code eta_min} schedule through its recursive form instead, which this does not reproduce.
     */
    public static LrSchedule chained(LrSchedule... schedules) {
        if (schedules.length == 0) {
            throw new IllegalArgumentException("Schedules.chained: need at least one schedule");
        }
        LrSchedule[] s = schedules.clone();
        return (t, base) -> {
            double lr = base;
            for (LrSchedule each : s) {
                lr = each.lr(t, lr);
            }
            return lr;
        };
    }

    /** How a one-cycle phase goes from its start value to its end value (torch's {@code anneal_strategy}). */
    public enum Anneal {
        /** {@code end + (start − end)/2 · (1 + cos(π · pct))}. */
        COS,
        /** {@code (end − start) · pct + start}. */
        LINEAR
    }

    /**
     * The learning rate of torch {@code OneCycleLR} (Smith &amp; Topin, "Super-Convergence"), with the group's
     * base rate as {@code max_lr}: build the {@link Scheduler} while each group's {@code lr} holds its
     * {@code max_lr}. With {@code initial = base/divFactor} and {@code min = initial/finalDivFactor}, two
     * phases (fastai's form, the default) go from {@code initial} up to {@code base} over the first
     * {@code pctStart·totalSteps − 1} steps and from {@code base} down to {@code min} at step
     * {@code totalSteps − 1}; with {@code threePhase} (the paper's form) the second phase comes back to
     * {@code initial} at step {@code 2·pctStart·totalSteps − 2} and a third goes down to {@code min}. Phase
     * boundaries are real numbers and fractions are computed as torch computes them, so values agree bit for
     * bit. Steps past {@code totalSteps} fail, as in torch. torch's defaults: pctStart 0.3, COS, divFactor 25,
     * finalDivFactor 1e4, two phases.
     */
    public static LrSchedule oneCycle(long totalSteps, double pctStart, Anneal anneal, double divFactor,
            double finalDivFactor, boolean threePhase) {
        checkOneCycle("oneCycle", totalSteps, pctStart, anneal);
        double[] ends = oneCycleEnds(totalSteps, pctStart, threePhase);
        return (t, base) -> {
            double initial = base / divFactor;
            double min = initial / finalDivFactor;
            double[] points = threePhase ? new double[] {initial, base, initial, min} : new double[] {initial, base, min};
            return oneCyclePhase("oneCycle", totalSteps, ends, points, anneal, t);
        };
    }

    /** {@link #oneCycle} with torch's defaults: pctStart 0.3, cosine, divFactor 25, finalDivFactor 1e4, two phases. */
    public static LrSchedule oneCycle(long totalSteps) {
        return oneCycle(totalSteps, 0.3, Anneal.COS, 25.0, 1e4, false);
    }

    /**
     * The momentum (or β1) that torch {@code OneCycleLR} cycles with {@code cycle_momentum}, inversely to the
     * learning rate of the {@link #oneCycle} built with the same {@code totalSteps}, {@code pctStart},
     * {@code anneal} and {@code threePhase}: from {@code maxMomentum} down to {@code baseMomentum} in the first
     * phase, back up to {@code maxMomentum} in the second, and staying there in the third. The values are
     * absolute (the group's base value is ignored); bind it with
     * {@code new Scheduler(optimizer, schedule, "momentum")} (SGD, RMSprop) or {@code "beta1"} (the Adam
     * family). torch's defaults: baseMomentum 0.85, maxMomentum 0.95.
     */
    public static LrSchedule oneCycleMomentum(long totalSteps, double pctStart, Anneal anneal, double baseMomentum,
            double maxMomentum, boolean threePhase) {
        checkOneCycle("oneCycleMomentum", totalSteps, pctStart, anneal);
        double[] ends = oneCycleEnds(totalSteps, pctStart, threePhase);
        double[] points = threePhase ? new double[] {maxMomentum, baseMomentum, maxMomentum, maxMomentum}
                : new double[] {maxMomentum, baseMomentum, maxMomentum};
        return (t, base) -> oneCyclePhase("oneCycleMomentum", totalSteps, ends, points, anneal, t);
    }

    private static void checkOneCycle(String method, long totalSteps, double pctStart, Anneal anneal) {
        if (totalSteps < 1 || !(pctStart >= 0 && pctStart <= 1) || anneal == null) {
            throw new IllegalArgumentException("Schedules." + method + ": need totalSteps >= 1, pctStart in [0, 1] and "
                    + "an anneal strategy, got " + totalSteps + ", " + pctStart + ", " + anneal);
        }
    }

    /** The phases' end steps, as torch's {@code _schedule_phases}. */
    private static double[] oneCycleEnds(long totalSteps, double pctStart, boolean threePhase) {
        double first = pctStart * totalSteps - 1;
        return threePhase ? new double[] {first, 2 * pctStart * totalSteps - 2, totalSteps - 1.0}
                : new double[] {first, totalSteps - 1.0};
    }

    /** torch's {@code OneCycleLR.get_lr} loop: the phase holding {@code t}, and the annealed value in it. */
    private static double oneCyclePhase(String method, long totalSteps, double[] ends, double[] points, Anneal anneal,
            long t) {
        if (t > totalSteps) {
            throw new IllegalStateException("Schedules." + method + ": step " + t + " is past the cycle's "
                    + totalSteps + " steps");
        }
        double start = 0.0;
        for (int i = 0; i < ends.length; i++) {
            double end = ends[i];
            if (t <= end || i == ends.length - 1) {
                double pct = (t - start) / (end - start);
                double from = points[i];
                double to = points[i + 1];
                if (anneal == Anneal.COS) {
                    double cosOut = Math.cos(Math.PI * pct) + 1;
                    return to + (from - to) / 2.0 * cosOut;
                }
                return (to - from) * pct + from;
            }
            start = end;
        }
        throw new AssertionError("unreachable");
    }

    private static double cosineBetween(double low, double high, double fraction) {
        return low + (high - low) * (1.0 + Math.cos(Math.PI * fraction)) / 2.0;
    }

    private static double hfWarmup(long t, long warmupSteps) {
        return (double) t / Math.max(1, warmupSteps);
    }

    /** How many of the sorted {@code values} are {@code <= t} (Python's {@code bisect_right}). */
    private static int countAtMost(long[] values, long t) {
        int lo = 0;
        int hi = values.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static void checkWarmup(String method, long warmupSteps, long totalSteps) {
        if (warmupSteps < 0 || totalSteps < warmupSteps) {
            throw new IllegalArgumentException("Schedules." + method + ": need 0 <= warmupSteps <= totalSteps, got "
                    + warmupSteps + ", " + totalSteps);
        }
    }

    private static void checkBeta2(String method, double beta2) {
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Schedules." + method + ": beta2 must be in [0, 1), got " + beta2);
        }
    }
}
