package dev.descent.examples.cli;

import dev.descent.analysis.curvature.CurvatureOperator;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.analysis.spectrum.Lanczos;
import dev.descent.analysis.spectrum.LanczosResult;
import dev.descent.analysis.spectrum.SlqResult;
import dev.descent.analysis.spectrum.SpectralDensity;
import dev.descent.tensor.Rng;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The spectral density of {@code descent hessian}: stochastic Lanczos quadrature whose first run is the top-k
 * Lanczos run already made (a run from a Rademacher start vector is exactly an SLQ run), its JSON part, and its
 * files (raw nodes and weights, the smoothed density and its plot).
 */
final class HessianDensity {
    private HessianDensity() {
    }

    /** {@code runs} SLQ runs: {@code first}, then {@code runs − 1} more of {@code lanczos}; {@code onRun} gets 2, 3, ... */
    static SlqResult run(Lanczos lanczos, CurvatureOperator op, LanczosResult first, int runs, Rng rng,
            IntConsumer onRun) {
        double[][] nodes = new double[runs][];
        double[][] weights = new double[runs][];
        nodes[0] = first.ritzValues();
        weights[0] = first.quadratureWeights();
        for (int r = 1; r < runs; r++) {
            onRun.accept(r + 1);
            LanczosResult result = lanczos.run(op, rng);
            nodes[r] = result.ritzValues();
            weights[r] = result.quadratureWeights();
        }
        return new SlqResult(nodes, weights, op.size());
    }

    /** The JSON part: the raw rules and PyHessian's smoothing width. */
    static Map<String, Object> toMap(SlqResult slq) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("runs", slq.runs());
        doc.put("nodes", slq.nodes());
        doc.put("weights", slq.weights());
        doc.put("sigma", SpectralDensity.pyHessian(slq).sigma());
        doc.put("trace_estimate", slq.traceEstimate());
        return doc;
    }

    /** slq.csv, density.csv and density.png. */
    static void write(StudyFolder folder, SlqResult slq, String title) {
        slq.writeCsv(folder, "slq.csv");
        SpectralDensity density = SpectralDensity.pyHessian(slq);
        density.writeCsv(folder, "density.csv");
        folder.writePlot("density.png", density.plot("Hessian spectral density: " + title));
    }
}
