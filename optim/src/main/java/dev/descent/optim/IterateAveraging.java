package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Iterate averaging around any optimizer, as the official {@code diegogranziol/Gadam} code
 * ({@code core/methods/ia.py}, spec/optimizers.md §12): a running mean of the parameters (not of buffers),
 * where the first collection copies the weights and each later one does
 * {@code w̄ ← w̄ · n/(n+1) + w/(n+1)}, {@code n ← n + 1}. Training continues from the un-averaged weights;
 * evaluation uses the average ({@link #swapToAverage()}).
 *
 * <p>When: after inner step {@code t} (counted by this wrapper from 1) the weights are collected if
 * {@code t >= start} and {@code (t − start) % frequency == 0}. The reference collects from its training loop
 * (once per epoch from epoch {@code ia_start}, or every {@code ia_c_batches} minibatches): pass
 * {@code start} and {@code frequency} in steps ({@code frequency} = batches per epoch gives the per-epoch
 * default), or pass {@link #NEVER} as start and call {@link #collect()} yourself.
 *
 * <p>State ({@code "averaging/"} keys): each parameter's mean, the number of collected models, the step
 * counter, start and frequency, so a checkpoint resumes exactly.
 *
 * <p>Batch normalisation: after swapping the average in, running statistics must be recomputed with one pass
 * over the training data (reset running mean 0 / variance 1, momentum {@code b/(n+b)} per batch, forward in
 * train mode without gradients, restore the momenta), as the reference's {@code bn_update}: that is
 * {@code dev.descent.nn.BatchNormStatistics.recompute}, to run inside the {@link WeightSwap} (this module
 * cannot see nn).
 */
public final class IterateAveraging extends OptimizerWrapper {
    /** A start step that never comes: collect only with {@link #collect()}. */
    public static final long NEVER = Long.MAX_VALUE;

    private long start;
    private long frequency;
    private long steps;
    private long models;
    private final Map<Variable, Tensor> mean = new IdentityHashMap<>();

    /** Averaging around {@code inner}, collecting after step {@code start} and every {@code frequency} steps after. */
    public IterateAveraging(Optimizer inner, long start, long frequency) {
        super("IterateAveraging", "averaging/", inner);
        if (start < 1) {
            throw new IllegalArgumentException(name() + ": invalid start " + start + " (expected start >= 1)");
        }
        if (frequency < 1) {
            throw new IllegalArgumentException(name() + ": invalid frequency " + frequency + " (expected frequency >= 1)");
        }
        this.start = start;
        this.frequency = frequency;
    }

    /** Gadam (§12): {@link AdamW} with learning rate {@code lr} and torch's other defaults, plus averaging. */
    public static IterateAveraging gadam(Map<String, Variable> params, double lr, long start, long frequency) {
        return new IterateAveraging(new AdamW(params, lr), start, frequency);
    }

    /**
     * GadamX (§12): {@link PadamW} with learning rate {@code lr} and the training scripts' {@code partial} 0.125
     * (the Padam class default is 0.25), plus averaging.
     */
    public static IterateAveraging gadamX(Map<String, Variable> params, double lr, long start, long frequency) {
        return new IterateAveraging(new PadamW(List.of(new ParamGroup(params, Map.of("lr", lr, "partial", 0.125)))),
                start, frequency);
    }

    /** The first step after which weights are collected. */
    public long start() {
        return start;
    }

    /** Steps between collections. */
    public long frequency() {
        return frequency;
    }

    /** Inner steps taken through this wrapper. */
    public long steps() {
        return steps;
    }

    /** The number of collected models (0 before the first collection). */
    public long models() {
        return models;
    }

    /** The average of {@code p} (live), or null before the first collection. */
    public @Nullable Tensor average(Variable p) {
        return mean.get(p);
    }

    @Override
    protected void afterInnerStep() {
        steps++;
        if (steps >= start && (steps - start) % frequency == 0) {
            collect();
        }
    }

    /** Adds the current weights to the average now (the reference's {@code collect_model}). */
    public void collect() {
        double n = models;
        for (Variable p : namedParams().values()) {
            Tensor w = p.value();
            Tensor m = mean.get(p);
            if (m == null) {
                mean.put(p, w.clone());
            } else {
                m.mul_(n / (n + 1.0)).add_(w.div(n + 1.0));
            }
        }
        models++;
    }

    /**
     * Puts the averaged weights into the parameters until the returned handle is closed (the reference's
     * {@code set_ia} on a separate model); recompute batch-norm statistics inside it. Stepping is refused while
     * it is open; fails before the first collection.
     */
    public WeightSwap swapToAverage() {
        if (models == 0) {
            throw new IllegalStateException(name() + ": no weights collected yet (step " + steps + ", start " + start + ")");
        }
        return swapIn(mean);
    }

    @Override
    protected Map<String, Tensor> ownTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParams().forEach((n, p) -> {
            if (mean.containsKey(p)) {
                out.put(n + ".mean", mean.get(p));
            }
        });
        return out;
    }

    @Override
    protected Map<String, Object> ownScalars() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("steps", steps);
        out.put("models", models);
        out.put("start", start);
        out.put("frequency", frequency);
        return out;
    }

    @Override
    protected void checkOwn(Map<String, Tensor> tensors, Map<String, Object> scalars, List<String> problems) {
        number(scalars, "steps", problems);
        number(scalars, "start", problems);
        number(scalars, "frequency", problems);
        Number n = number(scalars, "models", problems);
        if (n != null && n.longValue() > 0) {
            namedParams().keySet().forEach(name -> {
                if (!tensors.containsKey(name + ".mean")) {
                    problems.add("no average for '" + name + "'");
                }
            });
        }
        tensors.keySet().forEach(key -> {
            if (!key.endsWith(".mean") || !namedParams().containsKey(key.substring(0, key.length() - 5))) {
                problems.add("a buffer '" + key + "' of no known parameter");
            }
        });
    }

    @Override
    protected void loadOwn(Map<String, Tensor> tensors, Map<String, Object> scalars) {
        steps = ((Number) scalars.get("steps")).longValue();
        models = ((Number) scalars.get("models")).longValue();
        start = ((Number) scalars.get("start")).longValue();
        frequency = ((Number) scalars.get("frequency")).longValue();
        mean.clear();
        if (models > 0) {
            namedParams().forEach((n, p) -> mean.put(p, tensors.get(n + ".mean").clone()));
        }
    }
}
