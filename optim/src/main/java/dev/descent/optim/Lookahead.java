package dev.descent.optim;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lookahead around any optimizer (Zhang et al., NeurIPS 2019), as the official {@code michaelrzhang/lookahead}
 * wrapper (spec/optimizers.md §3): slow weights φ copied from the parameters at construction, one global step
 * counter; after every k-th inner step {@code θ ← α θ + (1 − α) φ}, {@code φ ← θ}, then the inner momentum is
 * handled as {@link Pullback} says. Unlike the official wrapper, the slow weights, the counter, k, α and the
 * pullback bookkeeping are part of the state ({@link #stateTensors()} / {@link #stateScalars()}, keys starting
 * with {@code "lookahead/"}), so a checkpoint resumes exactly (spec §16, anchors §D.2). {@link #swapToSlow()}
 * evaluates on the slow weights.
 */
public final class Lookahead extends OptimizerWrapper {
    /** What happens to the inner optimizer's momentum buffer at each synchronisation (spec §3). */
    public enum Pullback {
        /** Leave it (the official default). */
        NONE,
        /** Set it to zero (official {@code "reset"}). */
        RESET,
        /**
         * Official {@code "pullback"}: {@code buf ← α buf + (1 − α) cached}, then the official code keeps the
         * buffer <em>itself</em> as {@code cached} (an alias, not a copy). The inner optimizer updates that tensor
         * in place, so from a parameter's second synchronisation on the pullback reads {@code buf ← α buf} followed
         * by {@code buf ← buf + (1 − α) buf}, i.e. {@code buf ← α (2 − α) buf}. Reproduced as is.
         */
        PULLBACK,
        /** The intended pullback, with {@code cached} a copy of the buffer: {@code buf ← α buf + (1 − α) cached}. */
        PULLBACK_COPY
    }

    /** The official defaults: k = 5, α = 0.8, no pullback. */
    public static final int DEFAULT_K = 5;
    /** The official default α (torch-optimizer and pytorch_optimizer use 0.5). */
    public static final double DEFAULT_ALPHA = 0.8;

    private int k;
    private double alpha;
    private final Pullback pullback;
    private final String momentumBuffer;
    private long counter;
    private final Map<Variable, Tensor> slow = new IdentityHashMap<>();
    private final Map<Variable, Tensor> cachedMomentum = new IdentityHashMap<>();
    private final Map<Variable, Boolean> aliased = new IdentityHashMap<>();

    /** Lookahead with the official defaults (k = 5, α = 0.8, {@link Pullback#NONE}). */
    public Lookahead(Optimizer inner) {
        this(inner, DEFAULT_K, DEFAULT_ALPHA, Pullback.NONE);
    }

    /** Lookahead synchronising every {@code k} steps with factor {@code alpha}; momentum buffer {@code "momentum_buffer"}. */
    public Lookahead(Optimizer inner, int k, double alpha, Pullback pullback) {
        this(inner, k, alpha, pullback, "momentum_buffer");
    }

    /**
     * Lookahead whose {@link Pullback#RESET} / {@link Pullback#PULLBACK} modes act on the inner buffer named
     * {@code momentumBuffer} ({@code "momentum_buffer"} for {@link SGD}, as the official code; e.g.
     * {@code "exp_avg"} for Adam).
     */
    public Lookahead(Optimizer inner, int k, double alpha, Pullback pullback, String momentumBuffer) {
        super("Lookahead", "lookahead/", inner);
        if (k < 1) {
            throw new IllegalArgumentException("Lookahead: invalid k " + k + " (expected k >= 1)");
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("Lookahead: invalid alpha " + alpha + " (expected 0 <= alpha <= 1)");
        }
        this.k = k;
        this.alpha = alpha;
        this.pullback = pullback;
        this.momentumBuffer = momentumBuffer;
        for (Variable p : namedParams().values()) {
            slow.put(p, p.value().clone());
            if (pullback == Pullback.PULLBACK || pullback == Pullback.PULLBACK_COPY) {
                cachedMomentum.put(p, p.value().zerosLike());
            }
        }
    }

    /** The synchronisation period k. */
    public int k() {
        return k;
    }

    /** The interpolation factor α (1 gives the inner optimizer unchanged). */
    public double alpha() {
        return alpha;
    }

    /** The pullback mode. */
    public Pullback pullback() {
        return pullback;
    }

    /** Inner steps since the last synchronisation (0 to k − 1). */
    public long counter() {
        return counter;
    }

    /** The slow weights of {@code p} (live). */
    public Tensor slowWeights(Variable p) {
        return slow.get(p);
    }

    /**
     * Puts the slow weights into the parameters (the official {@code _backup_and_load_cache}) until the
     * returned handle is closed (official {@code _clear_and_load_backup}): evaluation on the slow weights, which
     * usually generalise better (spec §3). Stepping is refused while it is open.
     */
    public WeightSwap swapToSlow() {
        return swapIn(slow);
    }

    @Override
    protected void afterInnerStep() {
        counter++;
        if (counter < k) {
            return;
        }
        counter = 0;
        for (Variable p : namedParams().values()) {
            Tensor theta = p.value();
            Tensor phi = slow.get(p);
            theta.mul_(alpha).add_(phi, 1.0 - alpha);
            phi.copy_(theta);
            if (pullback == Pullback.NONE) {
                continue;
            }
            ParamState s = inner().state(p);
            Tensor buf = s == null ? null : s.buffer(momentumBuffer);
            if (buf == null) {
                if (s != null && pullback != Pullback.RESET) {
                    throw new IllegalStateException(name() + ": pullback needs the inner buffer '" + momentumBuffer
                            + "', which parameter " + nameOf(p) + " does not have (has " + s.buffers().keySet() + ")");
                }
                continue;
            }
            switch (pullback) {
                case RESET -> buf.zero_();
                case PULLBACK -> {
                    if (aliased.getOrDefault(p, false)) {
                        buf.mul_(alpha).add_(buf, 1.0 - alpha);
                    } else {
                        buf.mul_(alpha).add_(cachedMomentum.get(p), 1.0 - alpha);
                        aliased.put(p, true);
                    }
                }
                case PULLBACK_COPY -> {
                    buf.mul_(alpha).add_(cachedMomentum.get(p), 1.0 - alpha);
                    cachedMomentum.get(p).copy_(buf);
                }
                default -> throw new AssertionError(pullback);
            }
        }
    }

    private String nameOf(Variable p) {
        for (Map.Entry<String, Variable> e : namedParams().entrySet()) {
            if (e.getValue() == p) {
                return "'" + e.getKey() + "'";
            }
        }
        return "?";
    }

    @Override
    protected Map<String, Tensor> ownTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedParams().forEach((n, p) -> {
            out.put(n + ".slow", slow.get(p));
            if (pullback == Pullback.PULLBACK_COPY || pullback == Pullback.PULLBACK && !aliased.getOrDefault(p, false)) {
                out.put(n + ".cached_mom", cachedMomentum.get(p));
            }
        });
        return out;
    }

    @Override
    protected Map<String, Object> ownScalars() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("counter", counter);
        out.put("k", (long) k);
        out.put("alpha", alpha);
        out.put("pullback", (long) pullback.ordinal());
        if (pullback == Pullback.PULLBACK) {
            namedParams().forEach((n, p) -> out.put("aliased." + n, aliased.getOrDefault(p, false) ? 1L : 0L));
        }
        return out;
    }

    @Override
    protected void checkOwn(Map<String, Tensor> tensors, Map<String, Object> scalars, List<String> problems) {
        number(scalars, "counter", problems);
        number(scalars, "k", problems);
        number(scalars, "alpha", problems);
        Number mode = number(scalars, "pullback", problems);
        if (mode != null && mode.intValue() != pullback.ordinal()) {
            problems.add("saved with pullback mode " + Pullback.values()[mode.intValue()] + ", this wrapper uses "
                    + pullback);
        }
        namedParams().forEach((n, p) -> {
            if (!tensors.containsKey(n + ".slow")) {
                problems.add("no slow weights for '" + n + "'");
            }
            if (pullback == Pullback.PULLBACK) {
                Number a = number(scalars, "aliased." + n, problems);
                if (a != null && a.longValue() == 0 && !tensors.containsKey(n + ".cached_mom")) {
                    problems.add("no cached momentum for '" + n + "'");
                }
            } else if (pullback == Pullback.PULLBACK_COPY && !tensors.containsKey(n + ".cached_mom")) {
                problems.add("no cached momentum for '" + n + "'");
            }
        });
        for (String key : tensors.keySet()) {
            String param = key.substring(0, Math.max(0, key.lastIndexOf('.')));
            if (!namedParams().containsKey(param)) {
                problems.add("a buffer '" + key + "' of no known parameter");
            }
        }
    }

    @Override
    protected void loadOwn(Map<String, Tensor> tensors, Map<String, Object> scalars) {
        counter = ((Number) scalars.get("counter")).longValue();
        k = ((Number) scalars.get("k")).intValue();
        alpha = ((Number) scalars.get("alpha")).doubleValue();
        aliased.clear();
        namedParams().forEach((n, p) -> {
            slow.get(p).copy_(tensors.get(n + ".slow"));
            if (pullback == Pullback.PULLBACK && ((Number) scalars.get("aliased." + n)).longValue() != 0) {
                aliased.put(p, true);
            } else if (tensors.containsKey(n + ".cached_mom")) {
                cachedMomentum.get(p).copy_(tensors.get(n + ".cached_mom"));
            }
        });
    }
}
