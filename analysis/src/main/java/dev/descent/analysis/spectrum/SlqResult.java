package dev.descent.analysis.spectrum;

import dev.descent.analysis.report.StudyFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw output of {@link StochasticLanczosQuadrature}: for each run, its quadrature nodes (Ritz values,
 * ascending) and weights (summing to 1). Arrays are shared, not copied. {@link #minNode()} and
 * {@link #maxNode()} assume each run's nodes ascending, as SLQ returns them.
 *
 * @param nodes {@code nodes[r]} are run r's nodes
 * @param weights {@code weights[r]} are run r's weights
 * @param size the operator's size P, which turns densities into eigenvalue counts
 */
public record SlqResult(double[][] nodes, double[][] weights, int size) {
    /**
     * Checks the shapes.
     *
     * @throws IllegalArgumentException if there are no runs, a run has no nodes, a run's nodes and weights
     *     differ in number, or {@code size < 1}
     */
    public SlqResult {
        if (nodes.length == 0 || nodes.length != weights.length || size < 1) {
            throw new IllegalArgumentException("SlqResult: need at least one run, as many weight rows as node rows and "
                    + "size >= 1, got " + nodes.length + " node rows, " + weights.length + " weight rows, size " + size);
        }
        for (int r = 0; r < nodes.length; r++) {
            if (nodes[r].length == 0 || nodes[r].length != weights[r].length) {
                throw new IllegalArgumentException("SlqResult: run " + r + " has " + nodes[r].length + " nodes and "
                        + weights[r].length + " weights");
            }
        }
    }

    /** The number of runs. */
    public int runs() {
        return nodes.length;
    }

    /**
     * The SLQ estimate of {@code tr(A)}: {@code P · Σ_k τ_k θ_k} averaged over the runs (each run estimates
     * {@code P vᵀAv} for its unit start vector v).
     */
    public double traceEstimate() {
        double sum = 0;
        for (int r = 0; r < runs(); r++) {
            for (int k = 0; k < nodes[r].length; k++) {
                sum += weights[r][k] * nodes[r][k];
            }
        }
        return size * sum / runs();
    }

    /** The weight of the nodes in {@code [low, high]}, averaged over the runs: the density's mass there. */
    public double massBetween(double low, double high) {
        double sum = 0;
        for (int r = 0; r < runs(); r++) {
            for (int k = 0; k < nodes[r].length; k++) {
                if (nodes[r][k] >= low && nodes[r][k] <= high) {
                    sum += weights[r][k];
                }
            }
        }
        return sum / runs();
    }

    /** The smallest node of any run. */
    public double minNode() {
        double min = Double.POSITIVE_INFINITY;
        for (double[] run : nodes) {
            min = Math.min(min, run[0]);
        }
        return min;
    }

    /** The largest node of any run. */
    public double maxNode() {
        double max = Double.NEGATIVE_INFINITY;
        for (double[] run : nodes) {
            max = Math.max(max, run[run.length - 1]);
        }
        return max;
    }

    /** Writes every node with its weight to a CSV file with columns {@code run,index,node,weight}. */
    public Path writeCsv(StudyFolder folder, String name) {
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < runs(); r++) {
            for (int k = 0; k < nodes[r].length; k++) {
                rows.add(List.of(r, k, nodes[r][k], weights[r][k]));
            }
        }
        return folder.writeCsv(name, List.of("run", "index", "node", "weight"), rows);
    }
}
