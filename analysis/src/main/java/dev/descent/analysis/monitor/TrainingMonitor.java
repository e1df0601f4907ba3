package dev.descent.analysis.monitor;

import dev.descent.analysis.report.StudyFolder;
import dev.descent.autograd.Variable;
import dev.descent.nn.Module;
import dev.descent.nn.data.Batch;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The statistics of Zhang et al. (spec/analysis.md §7) for any training loop, which calls {@link #observe} once per
 * step, after {@code optimizer.step()} and before the next {@code zeroGrad()}, with the step number, the batch
 * loss and the model:
 *
 * <pre>{@code
 * TrainingMonitor monitor = TrainingMonitor.builder().every(10)
 *         .fullGradient(fixedBatches, (m, b) -> F.crossEntropy(((Layer) m).forward(Variable.constant(b.inputs())),
 *                 b.targets()), 50)
 *         .displacementWindow(100).lossChangeWindow(200).build();
 * for (int step = 1; step <= steps; step++) {
 *     opt.zeroGrad(); Variable loss = ...; loss.backward(); opt.step();
 *     monitor.observe(step, loss.item(), model);
 * }
 * monitor.write(new StudyFolder(runDir));
 * }</pre>
 *
 * <p>Every {@code k} steps it writes a {@link MonitorRow}: weight norms per parameter tensor and in total, the
 * displacement {@code ‖θ_t − θ_{t−w}‖}, the mean and variance of the stochastic gradient norms read from the
 * parameters' {@code .grad} since the previous row, and, once {@code 2W} loss changes are in, the histogram of the
 * last {@code W} changes {@code ΔL_t = L_t − L_{t−1}} and its Kolmogorov–Smirnov and 1-Wasserstein distances to the
 * {@code W} before. Every {@code K} steps (a multiple of {@code k}) it also computes the loss and gradient norm
 * over a fixed list of batches with {@link FullBatchGradient}: evaluation mode, {@code .grad} untouched.
 */
public final class TrainingMonitor {
    private final Builder config;
    private final SnapshotRing snapshots;
    private final LossChangeWindows changes;
    private final List<MonitorRow> rows = new ArrayList<>();
    private final List<double[]> losses = new ArrayList<>();
    private List<String> names;
    private long lastStep = Long.MIN_VALUE;
    private double lossSum;
    private int lossCount;
    private double gradMean;
    private double gradM2;
    private int gradCount;

    private TrainingMonitor(Builder b) {
        this.config = b;
        this.snapshots = new SnapshotRing(b.displacementWindow, b.every);
        this.changes = new LossChangeWindows(b.lossChangeWindow);
    }

    /** A builder with the defaults: a row every 10 steps, no full gradient, w = 100, W = 100, 30 bins. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Records step {@code step} (steps must increase; call it every step, since {@code ΔL} is taken between
     * consecutive calls) with the loop's loss value and the model after the update.
     *
     * @return the row written at this step, or null if this is not a row step
     */
    public @Nullable MonitorRow observe(long step, double loss, Module model) {
        if (step <= lastStep) {
            throw new IllegalArgumentException("TrainingMonitor.observe: step " + step + " after step " + lastStep
                    + " (steps must increase)");
        }
        Map<String, Variable> named = model.namedParameters();
        if (names == null) {
            names = List.copyOf(named.keySet());
        } else if (!names.equals(new ArrayList<>(named.keySet()))) {
            throw new IllegalArgumentException("TrainingMonitor.observe: the model's parameters " + named.keySet()
                    + " are not those of the first call " + names);
        }
        List<Variable> params = new ArrayList<>(named.values());
        lastStep = step;
        losses.add(new double[] {step, loss});
        lossSum += loss;
        lossCount++;
        changes.add(loss);
        addGradNorm(params);
        if (snapshots.needs(step)) {
            snapshots.take(step, params);
        }
        if (Math.floorMod(step, (long) config.every) != 0) {
            return null;
        }
        MonitorRow row = row(step, loss, model, named, params);
        rows.add(row);
        lossSum = 0;
        lossCount = 0;
        gradMean = 0;
        gradM2 = 0;
        gradCount = 0;
        return row;
    }

    /** Adds {@code ‖g_t‖} of the parameters that have a {@code .grad} (Welford's running mean and variance). */
    private void addGradNorm(List<Variable> params) {
        double squares = 0;
        boolean any = false;
        for (Variable p : params) {
            Tensor g = p.grad();
            if (g != null) {
                any = true;
                squares += sumOfSquares(g);
            }
        }
        if (any) {
            double norm = Math.sqrt(squares);
            gradCount++;
            double delta = norm - gradMean;
            gradMean += delta / gradCount;
            gradM2 += delta * (norm - gradMean);
        }
    }

    private MonitorRow row(long step, double loss, Module model, Map<String, Variable> named, List<Variable> params) {
        Map<String, Double> norms = new LinkedHashMap<>();
        double total = 0;
        for (Map.Entry<String, Variable> e : named.entrySet()) {
            double squares = sumOfSquares(e.getValue().value());
            total += squares;
            norms.put(e.getKey(), Math.sqrt(squares));
        }
        double fullLoss = Double.NaN;
        double fullNorm = Double.NaN;
        if (config.fullEvery > 0 && Math.floorMod(step, (long) config.fullEvery) == 0) {
            FullBatchGradient.Result r = FullBatchGradient.compute(model, config.batches, config.loss);
            fullLoss = r.loss();
            fullNorm = r.norm();
        }
        double changeMean = Double.NaN;
        double ks = Double.NaN;
        double w1 = Double.NaN;
        Histogram histogram = null;
        if (changes.hasCurrent()) {
            double[] current = changes.current();
            if (allFinite(current)) {
                changeMean = mean(current);
                histogram = Histogram.of(current, config.bins);
                double[] previous = changes.hasBoth() ? changes.previous() : null;
                if (previous != null && allFinite(previous)) {
                    ks = EmpiricalDistance.kolmogorovSmirnov(current, previous);
                    w1 = EmpiricalDistance.wasserstein1(current, previous);
                }
            }
        }
        return new MonitorRow(step, loss, lossSum / lossCount, fullLoss, fullNorm,
                gradCount > 0 ? gradMean : Double.NaN, gradCount > 1 ? gradM2 / (gradCount - 1) : Double.NaN,
                Math.sqrt(total), Collections.unmodifiableMap(norms), snapshots.displacement(step, params),
                changeMean, ks, w1, histogram);
    }

    private static double sumOfSquares(Tensor t) {
        double s = 0;
        for (double v : t.toDoubleArray()) {
            s += v * v;
        }
        return s;
    }

    private static boolean allFinite(double[] x) {
        for (double v : x) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    /** The rows written so far, oldest first (read-only). */
    public List<MonitorRow> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** The parameter copies held now for the displacement (at most {@code ⌈w/k⌉ + 1}). */
    public int snapshotsHeld() {
        return snapshots.size();
    }

    /** Writes {@code monitor.csv}, {@code loss_change_histograms.csv} and the plots into {@code folder}. */
    public void write(StudyFolder folder) {
        MonitorReport.write(folder, rows, losses, names == null ? List.of() : names);
    }

    /** The monitor's settings. */
    public static final class Builder {
        private int every = 10;
        private int fullEvery;
        private List<Batch> batches = List.of();
        private BatchLoss loss;
        private int displacementWindow = 100;
        private int lossChangeWindow = 100;
        private int bins = 30;

        private Builder() {
        }

        /** A row every {@code k} steps (default 10). */
        public Builder every(int k) {
            every = positive("every", k);
            return this;
        }

        /**
         * The full-batch loss and gradient norm over {@code batches} (a fixed list: the same data every time), every
         * {@code k} steps, which must be a multiple of {@link #every}.
         */
        public Builder fullGradient(List<Batch> batches, BatchLoss loss, int k) {
            if (batches.isEmpty() || loss == null) {
                throw new IllegalArgumentException("TrainingMonitor.fullGradient: expected batches and a loss, got "
                        + batches.size() + " batches and loss " + loss);
            }
            this.batches = List.copyOf(batches);
            this.loss = loss;
            this.fullEvery = positive("fullGradient", k);
            return this;
        }

        /** The window {@code w} of the displacement {@code ‖θ_t − θ_{t−w}‖} (default 100). */
        public Builder displacementWindow(int w) {
            displacementWindow = positive("displacementWindow", w);
            return this;
        }

        /** The window {@code W} of loss changes compared with the {@code W} before (default 100). */
        public Builder lossChangeWindow(int w) {
            lossChangeWindow = positive("lossChangeWindow", w);
            return this;
        }

        /** The bins of each window's histogram of loss changes (default 30). */
        public Builder histogramBins(int n) {
            bins = positive("histogramBins", n);
            return this;
        }

        /** The monitor. */
        public TrainingMonitor build() {
            if (fullEvery > 0 && fullEvery % every != 0) {
                throw new IllegalArgumentException("TrainingMonitor: the full-gradient interval " + fullEvery
                        + " is not a multiple of the row interval " + every);
            }
            return new TrainingMonitor(this);
        }

        private static int positive(String what, int value) {
            if (value < 1) {
                throw new IllegalArgumentException("TrainingMonitor." + what + ": expected a value >= 1, got " + value);
            }
            return value;
        }
    }
}
