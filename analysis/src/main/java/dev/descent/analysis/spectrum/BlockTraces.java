package dev.descent.analysis.spectrum;

import dev.descent.analysis.curvature.CurvatureOperator;
import dev.descent.tensor.Rng;
import java.util.List;

/**
 * Per-block Hutchinson traces from one set of probes over the whole operator: for a probe z, the block
 * products {@code z_lᵀ(Az)_l} are unbiased estimates of every {@code tr(A_ll)} at once, so each probe costs
 * one operator application however many blocks there are. With Rademacher probes the variance of block l's
 * sample is {@code 2Σ_{i≠j ∈ l} A_ij² + Σ_{i ∈ l, j ∉ l} A_ij²}: the block's own off-diagonal entries and
 * its coupling to the rest. Probing the block alone (zero outside it) removes the second term at the cost
 * of one application per block.
 *
 * <p>Default: 100 Rademacher probes (the sample count of PH's and HE1's trace estimators).
 */
public final class BlockTraces {
    /** The default number of probes. */
    public static final int DEFAULT_SAMPLES = 100;

    private final int samples;
    private final Probe probe;

    /** Block traces from {@link #DEFAULT_SAMPLES} Rademacher probes. */
    public BlockTraces() {
        this(DEFAULT_SAMPLES, Probe.RADEMACHER);
    }

    /**
     * Block traces from {@code samples} probes drawn from {@code probe}.
     *
     * @throws IllegalArgumentException if {@code samples < 2}
     */
    public BlockTraces(int samples, Probe probe) {
        if (samples < 2) {
            throw new IllegalArgumentException("BlockTraces: samples must be at least 2, got " + samples);
        }
        this.samples = samples;
        this.probe = probe;
    }

    /**
     * Estimates {@code tr(A_ll)} for every block of {@code blocks} with probes drawn from {@code rng}.
     *
     * @throws IllegalArgumentException if {@code blocks} is empty or a block reaches past the operator's size
     */
    public BlockTraceEstimate estimate(CurvatureOperator op, List<Block> blocks, Rng rng) {
        int n = op.size();
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("BlockTraces.estimate: no blocks given");
        }
        for (Block b : blocks) {
            if ((long) b.offset() + b.length() > n) {
                throw new IllegalArgumentException("BlockTraces.estimate: block " + b.name() + " covers coordinates "
                        + b.offset() + ".." + (b.offset() + b.length() - 1L) + ", the operator has " + n);
            }
        }
        RunningMean[] stats = new RunningMean[blocks.size()];
        for (int l = 0; l < stats.length; l++) {
            stats[l] = new RunningMean();
        }
        for (int s = 0; s < samples; s++) {
            double[] z = probe.draw(n, rng);
            double[] az = Vectors.apply(op, z, "BlockTraces");
            for (int l = 0; l < stats.length; l++) {
                Block b = blocks.get(l);
                double sum = 0;
                for (int i = b.offset(); i < b.offset() + b.length(); i++) {
                    sum += z[i] * az[i];
                }
                stats[l].add(sum);
            }
        }
        double[] estimates = new double[stats.length];
        double[] errors = new double[stats.length];
        for (int l = 0; l < stats.length; l++) {
            estimates[l] = stats[l].mean();
            errors[l] = stats[l].standardError();
        }
        return new BlockTraceEstimate(List.copyOf(blocks), estimates, errors, samples);
    }
}
