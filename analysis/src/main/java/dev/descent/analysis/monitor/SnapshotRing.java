package dev.descent.analysis.monitor;

import dev.descent.autograd.Variable;
import dev.descent.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Copies of the parameters taken only at the steps a later displacement {@code ‖θ_t − θ_{t−w}‖} will need: with
 * rows every {@code k} steps, the steps {@code s} with {@code (s + w) mod k = 0}; at most {@code ⌈w/k⌉ + 1} copies
 * are alive at once.
 */
final class SnapshotRing {
    private record Snapshot(long step, List<Tensor> values) {
    }

    private final int window;
    private final int every;
    private final Deque<Snapshot> snapshots = new ArrayDeque<>();

    SnapshotRing(int window, int every) {
        this.window = window;
        this.every = every;
    }

    /** Whether a copy must be taken at {@code step}. */
    boolean needs(long step) {
        return Math.floorMod(step + window, (long) every) == 0;
    }

    /** Takes a copy of {@code params} at {@code step}. */
    void take(long step, List<Variable> params) {
        List<Tensor> copies = new ArrayList<>(params.size());
        for (Variable p : params) {
            copies.add(p.value().clone());
        }
        snapshots.addLast(new Snapshot(step, copies));
    }

    /**
     * {@code ‖θ_step − θ_{step−w}‖} with {@code params} holding {@code θ_step}; NaN if no copy was taken at
     * {@code step − w} (the loop had not reached it, or skipped it). Drops the copies no later row will need.
     */
    double displacement(long step, List<Variable> params) {
        long from = step - window;
        while (!snapshots.isEmpty() && snapshots.peekFirst().step() < from) {
            snapshots.removeFirst();
        }
        Snapshot s = snapshots.peekFirst();
        if (s == null || s.step() != from) {
            return Double.NaN;
        }
        double squares = 0;
        for (int i = 0; i < params.size(); i++) {
            double[] now = params.get(i).value().toDoubleArray();
            double[] then = s.values().get(i).toDoubleArray();
            for (int k = 0; k < now.length; k++) {
                double d = now[k] - then[k];
                squares += d * d;
            }
        }
        return Math.sqrt(squares);
    }

    /** The number of copies held now. */
    int size() {
        return snapshots.size();
    }
}
