package dev.descent.analysis.radam;

import dev.descent.analysis.report.LinePlot;
import dev.descent.analysis.report.StudyFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the RAdam variance study into a run folder: the Monte Carlo curves ({@code variance.csv},
 * {@code variance.json}, and {@code variance.png} and {@code rectified_variance.png}, which reproduce the RAdam
 * README's Figure 1) and the statistics recorded along a training run ({@code adaptive_lr.csv},
 * {@code adaptive_lr_quantiles.png}, {@code adaptive_lr_variance.png}).
 */
public final class VarianceReport {
    /** The steps of the summary table in {@code variance.json} (those of spec/analysis.md §4), where reached. */
    public static final int[] TABLE_STEPS = {1, 2, 10, 100, 1000, 5000};

    private VarianceReport() {
    }

    /** Writes the simulation's CSV, JSON summary and two plots; returns the JSON summary. */
    public static Map<String, Object> writeSimulation(StudyFolder folder, VarianceCurves c) {
        List<List<?>> rows = new ArrayList<>();
        for (VarianceCurves.Curve curve : c.curves()) {
            for (int t = 1; t <= c.steps(); t++) {
                double rho = RectificationTerms.rho(c.beta2(), t);
                rows.add(List.of(curve.mu(), t, rho, RectificationTerms.rectification(c.beta2(), t),
                        curve.mean()[t - 1], curve.varianceAt(t), curve.varianceStdErrAt(t),
                        curve.rectifiedVarianceAt(t), RectificationTerms.approximateVariance(rho, c.sigma())));
            }
        }
        folder.writeCsv("variance.csv", List.of("mu", "t", "rho_t", "r_t", "mean_psi", "var_psi", "var_psi_stderr",
                "var_rect_psi", "approx_var_psi"), rows);
        Map<String, Object> summary = summary(c);
        folder.writeJson("variance.json", summary);
        folder.writePlot("variance.png", plot(c, false));
        folder.writePlot("rectified_variance.png", plot(c, true));
        return summary;
    }

    /** The configuration, the closed forms and, per {@code μ}, the variances at {@link #TABLE_STEPS}. */
    static Map<String, Object> summary(VarianceCurves c) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("beta2", c.beta2());
        doc.put("sigma", c.sigma());
        doc.put("trials", c.trials());
        doc.put("steps", c.steps());
        doc.put("seed", c.seed());
        doc.put("rho_infinity", RectificationTerms.rhoInfinity(c.beta2()));
        doc.put("first_rectified_step", c.firstRectifiedStep());
        List<Map<String, Object>> table = new ArrayList<>();
        for (VarianceCurves.Curve curve : c.curves()) {
            for (int t : TABLE_STEPS) {
                if (t > c.steps()) {
                    continue;
                }
                Map<String, Object> row = new LinkedHashMap<>();
                double rho = RectificationTerms.rho(c.beta2(), t);
                row.put("mu", curve.mu());
                row.put("t", t);
                row.put("rho_t", rho);
                row.put("r_t", json(RectificationTerms.rectification(c.beta2(), t)));
                row.put("var_psi", curve.varianceAt(t));
                row.put("var_psi_stderr", curve.varianceStdErrAt(t));
                row.put("var_rect_psi", json(curve.rectifiedVarianceAt(t)));
                row.put("approx_var_psi", json(RectificationTerms.approximateVariance(rho, c.sigma())));
                table.add(row);
            }
        }
        doc.put("table", table);
        return doc;
    }

    /**
     * The rows recorded at steps 1, 10, 100, ... and at the last step, as JSON-ready maps (undefined values as
     * null), for a summary printed with {@code --json}.
     */
    public static List<Map<String, Object>> runSummary(List<AdaptiveLrStats> history) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            boolean decade = Long.toString(i + 1).matches("10*");
            if (decade || i == history.size() - 1) {
                AdaptiveLrStats s = history.get(i);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", s.step());
                row.put("rho_t", s.rho());
                row.put("r_t", json(s.rectification()));
                row.put("coordinates", s.coordinates());
                row.put("zero_coordinates", s.zeroCoordinates());
                row.put("mean_psi", json(s.mean()));
                row.put("var_psi", json(s.variance()));
                row.put("var_rect_psi", json(s.rectifiedVariance()));
                row.put("q05_psi", json(s.q05()));
                row.put("median_psi", json(s.median()));
                row.put("q95_psi", json(s.q95()));
                out.add(row);
            }
        }
        return out;
    }

    /** JSON has no NaN: undefined values are written as null. */
    private static Object json(double x) {
        return Double.isFinite(x) ? x : null;
    }

    /** Var[ψ_t] (or Var[r_t ψ_t]) against t for each μ, on a log axis. */
    private static LinePlot plot(VarianceCurves c, boolean rectified) {
        String what = rectified ? "Var[r_t ψ_t]" : "Var[ψ_t]";
        LinePlot plot = new LinePlot(what + ", β2 = " + c.beta2() + ", g ~ N(μ, " + c.sigma() + "²), "
                + c.trials() + " trials", "step t", what).logY();
        // ψ_t's variance is infinite while ρ_t ≤ 4, and r_t undefined: both plots start where r_t exists
        int[] steps = Points.plotSteps(c.firstRectifiedStep(), c.steps());
        Points approx = Points.positive(steps, t -> rectified
                ? RectificationTerms.approximateRectifiedVariance(c.beta2(), t, c.sigma())
                : RectificationTerms.approximateVariance(RectificationTerms.rho(c.beta2(), t), c.sigma()));
        if (approx.x().length > 0) {
            plot.line(rectified ? "ρ∞/(2(ρ∞−2)(ρ∞−4)σ²)" : "ρ_t/(2(ρ_t−2)(ρ_t−4)σ²)", approx.x(), approx.y());
        }
        for (VarianceCurves.Curve curve : c.curves()) {
            double[] y = rectified ? curve.rectifiedVariance() : curve.variance();
            Points p = Points.positive(steps, t -> y[t - 1]);
            if (p.x().length > 0) {
                plot.line("μ = " + curve.mu(), p.x(), p.y());
            }
        }
        return plot;
    }

    /** Writes the statistics recorded along a run: {@code adaptive_lr.csv} and two plots. */
    public static void writeRun(StudyFolder folder, List<AdaptiveLrStats> history) {
        List<List<?>> rows = new ArrayList<>();
        for (AdaptiveLrStats s : history) {
            rows.add(List.of(s.step(), s.rho(), s.rectification(), s.coordinates(), s.zeroCoordinates(), s.mean(),
                    s.variance(), s.rectifiedVariance(), s.min(), s.q05(), s.q25(), s.median(), s.q75(), s.q95(),
                    s.max()));
        }
        folder.writeCsv("adaptive_lr.csv", List.of("step", "rho_t", "r_t", "coordinates", "zero_coordinates",
                "mean_psi", "var_psi", "var_rect_psi", "min_psi", "q05_psi", "q25_psi", "median_psi", "q75_psi",
                "q95_psi", "max_psi"), rows);
        if (history.isEmpty()) {
            return;
        }
        LinePlot quantiles = new LinePlot("ψ = sqrt((1−β2^t)/v) across coordinates during training", "step",
                "ψ (quantiles)").logY();
        String[] names = {"5%", "25%", "median", "75%", "95%"};
        for (int q = 0; q < names.length; q++) {
            int which = q;
            Points p = Points.positive(history, s -> switch (which) {
                case 0 -> s.q05();
                case 1 -> s.q25();
                case 2 -> s.median();
                case 3 -> s.q75();
                default -> s.q95();
            });
            if (p.x().length > 0) {
                quantiles.line(names[q], p.x(), p.y());
            }
        }
        folder.writePlot("adaptive_lr_quantiles.png", quantiles);
        LinePlot variance = new LinePlot("Variance of ψ across coordinates during training", "step", "variance")
                .logY();
        Points raw = Points.positive(history, AdaptiveLrStats::variance);
        Points rect = Points.positive(history, AdaptiveLrStats::rectifiedVariance);
        if (raw.x().length > 0) {
            variance.line("Var[ψ]", raw.x(), raw.y());
        }
        if (rect.x().length > 0) {
            variance.line("Var[r_t ψ]", rect.x(), rect.y());
        }
        folder.writePlot("adaptive_lr_variance.png", variance);
    }
}
