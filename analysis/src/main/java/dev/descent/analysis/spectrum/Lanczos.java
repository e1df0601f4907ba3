package dev.descent.analysis.spectrum;

import dev.descent.analysis.curvature.CurvatureOperator;
import dev.descent.tensor.Rng;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The Lanczos process with full reorthogonalisation, in float64: {@code m} applications of a symmetric
 * operator A build an orthonormal basis {@code Q} of the Krylov space of a start vector and the tridiagonal
 * {@code T = QᵀAQ}, whose eigenvalues (Ritz values) approximate A's extreme eigenvalues and whose
 * eigenvectors' first components give the quadrature weights of stochastic Lanczos quadrature.
 *
 * <p>Every new vector is orthogonalised against the whole stored basis by two classical Gram–Schmidt
 * passes, always: without it, converged Ritz values reappear as spurious copies ("ghost" eigenvalues,
 * HE1's numerical-stability notes), which matters most for the near-degenerate spectra of transformers.
 * The basis costs {@code m} vectors of the operator's size, and the reorthogonalisation about
 * {@code 2m²P} multiply-adds over a run, in three sweeps over the basis per step: at {@code P = 100,000} and
 * {@code m = 100}, about 1.2 s of one core, a few percent of the run when each application is a
 * Hessian-vector product over thousands of examples.
 *
 * <p>Breakdown: when {@code β_j} falls below {@code breakdownTolerance} times the largest {@code ‖Aq_i‖}
 * seen so far, the basis spans an invariant subspace. The recurrence then restarts from a fresh random
 * vector orthogonalised to the basis (PH's rule) with {@code β_j = 0} in T, or stops when the basis spans
 * the whole space. The default relative tolerance, 1e-10, is our choice: SD's absolute 1e-6 is
 * scale-dependent, and with full reorthogonalisation in float64 a true breakdown gives a β near 1e-15
 * times the scale.
 *
 * <p>Instances are immutable; the {@code with...} methods return modified copies.
 */
public final class Lanczos {
    /** The default relative breakdown tolerance (see the class comment). */
    public static final double DEFAULT_BREAKDOWN_TOLERANCE = 1e-10;

    private final int steps;
    private final Probe start;
    private final double breakdownTolerance;
    private final boolean keepBasis;

    /**
     * A Lanczos process of {@code steps} steps (fewer when the operator is smaller), with Rademacher start
     * vectors, the default breakdown tolerance, and the basis dropped after the run.
     *
     * @throws IllegalArgumentException if {@code steps < 1}
     */
    public Lanczos(int steps) {
        this(steps, Probe.RADEMACHER, DEFAULT_BREAKDOWN_TOLERANCE, false);
    }

    private Lanczos(int steps, Probe start, double breakdownTolerance, boolean keepBasis) {
        if (steps < 1) {
            throw new IllegalArgumentException("Lanczos: steps must be at least 1, got " + steps);
        }
        if (!(breakdownTolerance > 0 && breakdownTolerance < 1)) {
            throw new IllegalArgumentException("Lanczos: breakdown tolerance must lie in (0, 1), got "
                    + breakdownTolerance);
        }
        this.steps = steps;
        this.start = start;
        this.breakdownTolerance = breakdownTolerance;
        this.keepBasis = keepBasis;
    }

    /** The number of steps asked for. */
    public int steps() {
        return steps;
    }

    /** A copy that draws random start (and restart) vectors from {@code start}. */
    public Lanczos withStart(Probe start) {
        return new Lanczos(steps, start, breakdownTolerance, keepBasis);
    }

    /** A copy with breakdown tolerance {@code tolerance}, relative to the largest {@code ‖Aq‖} seen. */
    public Lanczos withBreakdownTolerance(double tolerance) {
        return new Lanczos(steps, start, tolerance, keepBasis);
    }

    /** A copy whose results keep the basis, so that {@link LanczosResult#ritzVector(int)} works. */
    public Lanczos keepingBasis() {
        return new Lanczos(steps, start, breakdownTolerance, true);
    }

    /**
     * A Lanczos process sized to find {@code k} extreme eigenpairs of an operator of size {@code size}:
     * {@code min(size, max(2k + 1, 30))} steps. The rule is scipy's {@code eigsh} default for its Krylov
     * dimension ({@code max(2k + 1, 20)}) with a floor of 30: HE1's {@code min(2k, P − 1)} leaves the k-th
     * pair unconverged for small k, and with no implicit restarts here the extra steps are the only way to
     * sharpen the ends.
     *
     * @throws IllegalArgumentException if {@code k < 1} or {@code k > size}
     */
    public static Lanczos forTopK(int k, int size) {
        checkK("Lanczos.forTopK", k, size);
        return new Lanczos(Math.min(size, Math.max(2 * k + 1, 30)));
    }

    /**
     * The {@code k} eigenpairs of {@code op} at the end {@code which}, from one run of this process started
     * from a random vector: values in {@code which}'s order with their Ritz residuals, and unit Ritz vectors
     * when {@code withVectors}. Check {@link Eigenpairs#residuals()}: a pair is converged when its residual
     * is small next to its value; if not, run more steps.
     *
     * @throws IllegalArgumentException if {@code k < 1}, {@code k > op.size()}, or {@code k} exceeds the
     *     steps of this process
     */
    public Eigenpairs topK(CurvatureOperator op, int k, Which which, boolean withVectors, Rng rng) {
        checkK("Lanczos.topK", k, op.size());
        if (k > steps) {
            throw new IllegalArgumentException("Lanczos.topK: k = " + k + " eigenpairs need at least k steps, this "
                    + "process has " + steps);
        }
        Lanczos lanczos = withVectors ? keepingBasis() : this;
        LanczosResult result = lanczos.run(op, rng);
        if (k > result.steps()) {
            throw new IllegalStateException("Lanczos.topK: the run stopped after " + result.steps()
                    + " steps, fewer than k = " + k);
        }
        return Eigenpairs.select(result, k, which);
    }

    private static void checkK(String operation, int k, int size) {
        if (k < 1 || k > size) {
            throw new IllegalArgumentException(operation + ": k = " + k + " must lie in 1.." + size
                    + " (the operator's size)");
        }
    }

    /** Runs from a random unit start vector drawn from {@code rng}. */
    public LanczosResult run(CurvatureOperator op, Rng rng) {
        return iterate(op, start.drawUnit(op.size(), rng), rng);
    }

    /**
     * Runs from {@code startVector} (normalised here; it is not modified); {@code rng} draws restart vectors
     * after a breakdown.
     *
     * @throws IllegalArgumentException if the length of {@code startVector} is not the operator's size, or
     *     it is zero or not finite
     */
    public LanczosResult run(CurvatureOperator op, double[] startVector, Rng rng) {
        CurvatureOperator.checkLength("Lanczos.run", op.size(), startVector);
        double norm = Vectors.norm(startVector);
        if (!(norm > 0 && Double.isFinite(norm))) {
            throw new IllegalArgumentException("Lanczos.run: the start vector must be nonzero and finite, its norm is "
                    + norm);
        }
        double[] q = startVector.clone();
        Vectors.scale(1.0 / norm, q);
        return iterate(op, q, rng);
    }

    private LanczosResult iterate(CurvatureOperator op, double[] first, Rng rng) {
        int n = op.size();
        int maxSteps = Math.min(steps, n);
        double[][] basis = new double[maxSteps][];
        double[] alphas = new double[maxSteps];
        double[] betas = new double[maxSteps];
        double scale = 0;
        int restarts = 0;
        int m = 0;
        double[] q = first;
        while (true) {
            basis[m] = q;
            double[] w = Vectors.apply(op, q, "Lanczos");
            scale = Math.max(scale, Vectors.norm(w));
            if (m > 0) {
                Vectors.axpy(-betas[m - 1], basis[m - 1], w);
            }
            alphas[m] = Vectors.dot(w, q);
            Vectors.axpy(-alphas[m], q, w);
            Vectors.orthogonalise(w, basis, m + 1);
            double beta = Vectors.norm(w);
            m++;
            if (m == maxSteps) {
                betas[m - 1] = beta;
                break;
            }
            if (beta > breakdownTolerance * scale) {
                betas[m - 1] = beta;
                Vectors.scale(1.0 / beta, w);
                q = w;
                continue;
            }
            q = freshDirection(basis, m, n, rng);
            if (q == null) {
                // the last β stays the residual norm, as the Ritz residuals need
                betas[m - 1] = beta;
                break;
            }
            betas[m - 1] = 0;
            restarts++;
        }
        return result(Arrays.copyOf(alphas, m), Arrays.copyOf(betas, m), restarts,
                keepBasis ? Arrays.copyOf(basis, m) : null);
    }

    /** A random unit vector orthogonal to the basis, or {@code null} when the basis spans the space numerically. */
    private double @Nullable [] freshDirection(double[][] basis, int count, int n, Rng rng) {
        double[] v = start.drawUnit(n, rng);
        Vectors.orthogonalise(v, basis, count);
        double norm = Vectors.norm(v);
        // a unit vector that loses all but 1e-8 of its length to the projection lies in the basis's span
        if (norm < 1e-8) {
            return null;
        }
        Vectors.scale(1.0 / norm, v);
        return v;
    }

    private static LanczosResult result(double[] alphas, double[] betas, int restarts, double[][] basis) {
        int m = alphas.length;
        TridiagonalEigen eigen = TridiagonalEigen.of(alphas, Arrays.copyOf(betas, m - 1));
        double[] residuals = new double[m];
        double[] weights = new double[m];
        for (int k = 0; k < m; k++) {
            double[] y = eigen.vectors()[k];
            residuals[k] = Math.abs(betas[m - 1] * y[m - 1]);
            weights[k] = y[0] * y[0];
        }
        return new LanczosResult(alphas, betas, eigen.values(), residuals, weights, eigen.vectors(), restarts, basis);
    }
}
