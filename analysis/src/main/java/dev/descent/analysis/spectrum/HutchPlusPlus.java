package dev.descent.analysis.spectrum;

import dev.descent.analysis.curvature.CurvatureOperator;
import dev.descent.tensor.Rng;
import java.util.Arrays;

/**
 * Hutch++ (Meyer, Musco, Musco and Woodruff, SOSA 2021): spend a third of a matrix-vector budget on a
 * sketch {@code AS}, orthonormalise it to Q, take {@code tr(QᵀAQ)} exactly with a second third, and estimate
 * the trace of the deflated remainder {@code (I − QQᵀ)A(I − QQᵀ)} by Hutchinson with the rest. The sketch
 * captures the large eigenvalues that dominate Hutchinson's variance, so for matrices whose spectrum decays
 * the error falls like {@code 1/budget} instead of {@code 1/sqrt(budget)}.
 *
 * <p>Default budget 99 (HE1's {@code num_matvecs}), Rademacher probes. With a budget b the sketch has
 * {@code floor(b/3)} columns; when the sketch is rank deficient (A of low rank) the applications it saves go
 * to the Hutchinson part.
 */
public final class HutchPlusPlus {
    /** The default matrix-vector budget (HE1). */
    public static final int DEFAULT_BUDGET = 99;

    private final int budget;
    private final Probe probe;

    /** Hutch++ with the default budget and Rademacher probes. */
    public HutchPlusPlus() {
        this(DEFAULT_BUDGET, Probe.RADEMACHER);
    }

    /**
     * Hutch++ with {@code budget} operator applications and probes drawn from {@code probe}.
     *
     * @throws IllegalArgumentException if {@code budget < 4} (one sketch column, one projection, two residual
     *     samples for a standard error)
     */
    public HutchPlusPlus(int budget, Probe probe) {
        if (budget < 4) {
            throw new IllegalArgumentException("HutchPlusPlus: the budget must be at least 4 matvecs, got " + budget);
        }
        this.budget = budget;
        this.probe = probe;
    }

    /** Estimates {@code tr(op)} with random vectors drawn from {@code rng}. */
    public HutchPlusPlusEstimate estimate(CurvatureOperator op, Rng rng) {
        int n = op.size();
        int sketchColumns = Math.min(budget / 3, n);
        double[][] q = new double[sketchColumns][];
        int rank = 0;
        for (int c = 0; c < sketchColumns; c++) {
            double[] y = Vectors.apply(op, probe.draw(n, rng), "HutchPlusPlus");
            double before = Vectors.norm(y);
            Vectors.orthogonalise(y, q, rank);
            double after = Vectors.norm(y);
            // a column that is (numerically) a combination of earlier ones adds no direction
            if (after > 1e-12 * before) {
                Vectors.scale(1.0 / after, y);
                q[rank++] = y;
            }
        }
        double lowRank = 0;
        for (int c = 0; c < rank; c++) {
            lowRank += Vectors.dot(q[c], Vectors.apply(op, q[c], "HutchPlusPlus"));
        }
        int residualCount = budget - sketchColumns - rank;
        double[] samples = new double[residualCount];
        RunningMean stats = new RunningMean();
        for (int s = 0; s < residualCount; s++) {
            double[] g = probe.draw(n, rng);
            Vectors.orthogonalise(g, q, rank);
            samples[s] = Vectors.dot(g, Vectors.apply(op, g, "HutchPlusPlus"));
            stats.add(samples[s]);
        }
        return new HutchPlusPlusEstimate(lowRank + stats.mean(), lowRank, stats.mean(), stats.standardError(), rank,
                Arrays.copyOf(samples, residualCount), budget);
    }
}
