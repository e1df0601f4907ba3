package dev.descent.analysis.radam;

import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;
import dev.descent.optim.ParamState;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Records, along a real training run, the distribution across coordinates of the adaptive learning rate
 * {@code ψ = sqrt((1−β2^t)/v)} held by an Adam-family optimizer (Adam, AdamW, RAdam, OfficialRAdam, ...: any
 * optimizer whose groups have a {@code beta2} and whose state has a second-moment buffer), with {@code ρ_t} and
 * {@code r_t}. Call {@link #record()} after {@code optimizer.step()}, as often as wanted; it only reads the state.
 *
 * <pre>{@code
 * AdaptiveLrRecorder psi = new AdaptiveLrRecorder(adam);
 * for (...) { ...; adam.step(); psi.record(); }
 * VarianceReport.writeRun(folder, psi.history());
 * }</pre>
 *
 * <p>Each parameter's {@code ψ} is bias-corrected with its own step counter and its group's {@code β2}; the row's
 * {@code ρ_t} and {@code r_t} are those of the largest step. {@code ε} is left out, as in the paper's definition.
 */
public final class AdaptiveLrRecorder {
    /** The second-moment buffer of torch-style Adam variants. */
    public static final String EXP_AVG_SQ = "exp_avg_sq";

    private final Optimizer optimizer;
    private final String buffer;
    private final List<AdaptiveLrStats> history = new ArrayList<>();

    /** A recorder of {@code optimizer}'s {@value #EXP_AVG_SQ} buffers. */
    public AdaptiveLrRecorder(Optimizer optimizer) {
        this(optimizer, EXP_AVG_SQ);
    }

    /**
     * A recorder of {@code optimizer}'s second-moment buffer named {@code buffer}.
     *
     * @throws IllegalArgumentException if a group has no {@code beta2} or the groups' {@code beta2} differ
     */
    public AdaptiveLrRecorder(Optimizer optimizer, String buffer) {
        this.optimizer = optimizer;
        this.buffer = buffer;
        beta2();
    }

    /** The groups' common {@code β2}. */
    private double beta2() {
        double beta2 = Double.NaN;
        for (ParamGroup g : optimizer.paramGroups()) {
            if (!g.options().containsKey("beta2")) {
                throw new IllegalArgumentException("AdaptiveLrRecorder: " + optimizer.name()
                        + " has no hyperparameter beta2 (have " + g.options().keySet() + ")");
            }
            double b = g.get("beta2");
            if (!Double.isNaN(beta2) && b != beta2) {
                throw new IllegalArgumentException("AdaptiveLrRecorder: the groups of " + optimizer.name()
                        + " have beta2 " + beta2 + " and " + b + "; ρ_t would differ between them");
            }
            beta2 = b;
        }
        return beta2;
    }

    /**
     * Reads the optimizer's state now, appends the statistics to {@link #history()} and returns them.
     *
     * @throws IllegalStateException if no parameter has taken a step yet, or a stepped parameter lacks the buffer
     */
    public AdaptiveLrStats record() {
        double beta2 = beta2();
        List<double[]> parts = new ArrayList<>();
        long step = 0;
        long zeros = 0;
        int total = 0;
        for (ParamGroup g : optimizer.paramGroups()) {
            for (var entry : g.params().entrySet()) {
                ParamState s = optimizer.state(entry.getValue());
                if (s == null || s.step() == 0) {
                    continue;
                }
                Tensor v = s.buffer(buffer);
                if (v == null) {
                    throw new IllegalStateException("AdaptiveLrRecorder: parameter '" + entry.getKey() + "' of "
                            + optimizer.name() + " has no buffer '" + buffer + "' (have " + s.buffers().keySet() + ")");
                }
                step = Math.max(step, s.step());
                double correction = 1 - Math.pow(beta2, s.step());
                double[] values = v.toDoubleArray();
                int kept = 0;
                for (double x : values) {
                    if (x > 0) {
                        values[kept++] = Math.sqrt(correction / x);
                    }
                }
                zeros += values.length - kept;
                parts.add(Arrays.copyOf(values, kept));
                total += kept;
            }
        }
        if (step == 0) {
            throw new IllegalStateException("AdaptiveLrRecorder.record: " + optimizer.name()
                    + " has taken no step yet");
        }
        double[] psi = new double[total];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, psi, at, p.length);
            at += p.length;
        }
        AdaptiveLrStats stats = summarize(step, beta2, psi, zeros);
        history.add(stats);
        return stats;
    }

    /** The statistics of {@code psi} (which it sorts) at step {@code step}. */
    static AdaptiveLrStats summarize(long step, double beta2, double[] psi, long zeros) {
        double rho = RectificationTerms.rho(beta2, step);
        double r = RectificationTerms.rectification(beta2, step);
        if (psi.length == 0) {
            double nan = Double.NaN;
            return new AdaptiveLrStats(step, rho, r, 0, zeros, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan);
        }
        Arrays.sort(psi);
        double sum = 0;
        for (double x : psi) {
            sum += x;
        }
        double mean = sum / psi.length;
        double ss = 0;
        for (double x : psi) {
            ss += (x - mean) * (x - mean);
        }
        double variance = ss / psi.length;
        return new AdaptiveLrStats(step, rho, r, psi.length, zeros, mean, variance, r * r * variance, psi[0],
                quantile(psi, 0.05), quantile(psi, 0.25), quantile(psi, 0.5), quantile(psi, 0.75),
                quantile(psi, 0.95), psi[psi.length - 1]);
    }

    /** The {@code p}-quantile of sorted {@code x}, interpolating linearly between order statistics (numpy's default). */
    static double quantile(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Every row recorded so far, oldest first (read-only). */
    public List<AdaptiveLrStats> history() {
        return Collections.unmodifiableList(history);
    }
}
