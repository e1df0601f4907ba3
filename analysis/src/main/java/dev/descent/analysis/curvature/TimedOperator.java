package dev.descent.analysis.curvature;

import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * An operator that passes every product on to another one, counting the products, timing them, and telling a
 * listener after each: progress for long solver runs, and the split of a solver's time between the operator
 * (the Hessian-vector products) and its own work (reorthogonalisation, bookkeeping), which is the total time
 * of the run minus {@link #nanos()}.
 *
 * <pre>{@code
 * TimedOperator timed = new TimedOperator(hessian, n -> System.err.println("product " + n));
 * long t0 = System.nanoTime();
 * new Lanczos(100).run(timed, rng);
 * double ownWork = 1 - timed.nanos() / (double) (System.nanoTime() - t0);
 * }</pre>
 *
 * <p>Results are the inner operator's, unchanged. Not thread-safe, like the operators it wraps.
 */
public final class TimedOperator implements CurvatureOperator {
    private final CurvatureOperator inner;
    private final IntConsumer afterEach;
    private int applications;
    private long nanos;

    /** Wraps {@code inner} with no listener. */
    public TimedOperator(CurvatureOperator inner) {
        this(inner, n -> { });
    }

    /** Wraps {@code inner}; {@code afterEach} receives the number of products done so far after each product. */
    public TimedOperator(CurvatureOperator inner, IntConsumer afterEach) {
        this.inner = Objects.requireNonNull(inner, "TimedOperator: operator is null");
        this.afterEach = Objects.requireNonNull(afterEach, "TimedOperator: listener is null");
    }

    @Override
    public int size() {
        return inner.size();
    }

    @Override
    public double[] apply(double[] v) {
        long t0 = System.nanoTime();
        double[] out = inner.apply(v);
        nanos += System.nanoTime() - t0;
        applications++;
        afterEach.accept(applications);
        return out;
    }

    /** The number of products so far. */
    public int applications() {
        return applications;
    }

    /** The wall-clock nanoseconds spent inside the inner operator so far (the listener's time excluded). */
    public long nanos() {
        return nanos;
    }

    /** The wrapped operator. */
    public CurvatureOperator inner() {
        return inner;
    }
}
