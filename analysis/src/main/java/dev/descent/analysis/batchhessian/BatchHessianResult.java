package dev.descent.analysis.batchhessian;

import dev.descent.analysis.report.LinePlot;
import dev.descent.analysis.report.StudyFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link BatchHessianStudy} measured, and its files: {@code batch_hessian.csv} (every run),
 * {@code batch_hessian.json} (per-size mean and standard deviation, the full value, the fitted excess) and
 * {@code batch_hessian.png} (λ_max(H_B), mean ± standard deviation, against 1/B, with the full-data λ_max as a
 * horizontal line).
 *
 * @param fullTop the top eigenvalue of the full-data Hessian
 * @param fullResidual its Ritz residual
 * @param examples the examples of the full data
 * @param lanczosSteps the Lanczos steps of every run
 * @param batches the batch sizes' results, in the order run
 */
public record BatchHessianResult(double fullTop, double fullResidual, int examples, int lanczosSteps,
        List<BatchTop> batches) {
    /**
     * The least-squares {@code c} of {@code mean λ_max(H_B) − λ_max(H_full) ≈ c / B} over the batch sizes (a
     * line through the origin in 1/B): the scale of the excess that the spiked random-matrix model predicts to
     * fall like 1/B.
     */
    public double excessPerInverseBatch() {
        double xy = 0;
        double xx = 0;
        for (BatchTop t : batches) {
            double x = 1.0 / t.batchSize();
            xy += x * (t.mean() - fullTop);
            xx += x * x;
        }
        return xy / xx;
    }

    /** The JSON document: the full value, each size's values and summary, and the fitted excess. */
    public Map<String, Object> toMap() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("full", Map.of("lambda_max", fullTop, "residual", fullResidual, "examples", examples));
        List<Map<String, Object>> sizes = new ArrayList<>();
        for (BatchTop t : batches) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("batch_size", t.batchSize());
            s.put("mean", t.mean());
            s.put("sd", t.standardDeviation());
            s.put("values", t.values());
            s.put("residuals", t.residuals());
            sizes.add(s);
        }
        doc.put("batches", sizes);
        doc.put("lanczos_steps", lanczosSteps);
        doc.put("excess_per_inverse_batch", excessPerInverseBatch());
        return doc;
    }

    /** Writes batch_hessian.csv, batch_hessian.json and batch_hessian.png into {@code folder}. */
    public void write(StudyFolder folder) {
        List<List<Object>> rows = new ArrayList<>();
        for (BatchTop t : batches) {
            for (int i = 0; i < t.values().length; i++) {
                rows.add(List.of("batch", t.batchSize(), i, t.values()[i], t.residuals()[i]));
            }
        }
        rows.add(List.of("full", examples, 0, fullTop, fullResidual));
        folder.writeCsv("batch_hessian.csv", List.of("kind", "batch_size", "sample", "lambda_max", "residual"), rows);
        folder.writeJson("batch_hessian.json", toMap());
        folder.writePlot("batch_hessian.png", plot());
    }

    /** λ_max(H_B) (mean ± sd over the batches) against 1/B on a log axis, and the full-data λ_max. */
    public LinePlot plot() {
        int n = batches.size();
        double[] x = new double[n];
        double[] mean = new double[n];
        double[] sd = new double[n];
        for (int i = 0; i < n; i++) {
            BatchTop t = batches.get(i);
            x[i] = 1.0 / t.batchSize();
            mean[i] = t.mean();
            sd[i] = t.standardDeviation();
        }
        double low = Math.min(1.0 / examples, min(x));
        double high = Math.max(1.0, max(x));
        return new LinePlot("Top Hessian eigenvalue: batch of B examples vs all " + examples, "1 / B (log scale)",
                "lambda_max").logX()
                .lineWithErrors("batch Hessian, mean ± sd", x, mean, sd)
                .line("full data", new double[] {low, high}, new double[] {fullTop, fullTop});
    }

    private static double min(double[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : a) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static double max(double[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
