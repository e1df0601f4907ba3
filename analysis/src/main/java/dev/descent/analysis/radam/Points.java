package dev.descent.analysis.radam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToDoubleFunction;

/** The points of a series that a log-scale plot can show: finite and positive y, the others dropped. */
record Points(double[] x, double[] y) {
    /**
     * The steps a curve over {@code from..to} is drawn at: every step up to 100, then steps about 1% apart, and
     * {@code to}. Besides keeping the PNG light, uneven spacing makes XChart choose round tick values: for equally
     * spaced x it puts ticks on data values (1, 354, 707, ...).
     */
    static int[] plotSteps(int from, int to) {
        List<Integer> steps = new ArrayList<>();
        for (int t = from; t <= to; t = Math.max(t + 1, (int) Math.round(t * 1.01))) {
            steps.add(t);
        }
        if (!steps.isEmpty() && steps.get(steps.size() - 1) != to) {
            steps.add(to);
        }
        return steps.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The points {@code (t, f(t))} for {@code t} in {@code steps}. */
    static Points positive(int[] steps, IntToDoubleFunction f) {
        double[] x = new double[steps.length];
        double[] y = new double[steps.length];
        int kept = 0;
        for (int t : steps) {
            double v = f.applyAsDouble(t);
            if (v > 0 && Double.isFinite(v)) {
                x[kept] = t;
                y[kept++] = v;
            }
        }
        return new Points(Arrays.copyOf(x, kept), Arrays.copyOf(y, kept));
    }

    /** The points {@code (step, f(row))} of recorded rows, thinned as {@link #plotSteps}. */
    static Points positive(List<AdaptiveLrStats> rows, ToDoubleFunction<AdaptiveLrStats> f) {
        int[] picks = plotSteps(1, rows.size());
        return positive(picks, i -> f.applyAsDouble(rows.get(i - 1))).atSteps(rows, picks);
    }

    /** Replaces row positions (1-based) on the x axis by the rows' steps. */
    private Points atSteps(List<AdaptiveLrStats> rows, int[] picks) {
        double[] steps = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            steps[i] = rows.get((int) x[i] - 1).step();
        }
        return new Points(steps, y);
    }
}
