package dev.descent.analysis.warmup;

import dev.descent.analysis.report.StudyFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables of a finished study, written into its folder:
 *
 * <ul>
 *   <li>{@code results.csv}: one row per cell (task, norm, optimizer, peak lr, warmup, seed, initial and final
 *       loss, diverged and where, steps to target, steps run, status);</li>
 *   <li>{@code summary.csv}: one row per cell without its seed, over the seeds (mean final loss of the runs that
 *       did not diverge, how many diverged, how many reached the target, the mean steps to target of those);</li>
 *   <li>{@code results.json}: the settings, the axes and every cell's full result, gradient norms included;</li>
 *   <li>the plots of {@link StudyPlots}.</li>
 * </ul>
 *
 * Nothing in these files depends on when or how the cells ran, so a resumed study writes the same files as one
 * run in one go.
 */
final class StudyReport {
    static final List<String> RESULT_COLUMNS = List.of("cell", "task", "norm", "optimizer", "peak_lr", "warmup",
            "seed", "initial_loss", "final_loss", "diverged", "diverged_at_step", "steps_to_target", "steps_run",
            "status");
    static final List<String> SUMMARY_COLUMNS = List.of("task", "norm", "optimizer", "peak_lr", "warmup", "seeds",
            "final_loss_mean", "diverged", "reached_target", "steps_to_target_mean");

    private StudyReport() {
    }

    static void write(StudyFolder folder, WarmupGrid grid, List<CellRun.Finished> runs) {
        String task = grid.settings().task().label();
        List<CellResult> results = runs.stream().map(CellRun.Finished::result).toList();
        List<List<?>> rows = new ArrayList<>();
        for (CellResult r : results) {
            WarmupCell c = r.cell();
            rows.add(List.of(r.id(), task, c.normLabel(), c.optimizer(), c.peakLr(), c.warmup(), c.seed(),
                    r.initialLoss(), r.finalLoss(), r.diverged(), blankIfNull(r.divergedAt()),
                    blankIfNull(r.stepsToTarget()), r.stepsRun(), r.status()));
        }
        folder.writeCsv("results.csv", RESULT_COLUMNS, rows);
        folder.writeCsv("summary.csv", SUMMARY_COLUMNS, summaryRows(task, results));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("task", task);
        doc.put("settings", grid.settings().describe());
        doc.put("grid", grid.describeAxes());
        doc.put("uniform_loss", results.isEmpty() ? null : Math.log(results.get(0).classes()));
        doc.put("divergence_threshold", results.isEmpty() ? null
                : grid.settings().divergence().threshold(results.get(0).classes()));
        doc.put("cells", results);
        folder.writeJson("results.json", doc);
        StudyPlots.write(folder, grid, runs);
    }

    private static List<List<?>> summaryRows(String task, List<CellResult> results) {
        Map<String, List<CellResult>> bySetting = new LinkedHashMap<>();
        for (CellResult r : results) {
            WarmupCell c = r.cell();
            bySetting.computeIfAbsent(c.normLabel() + "|" + c.optimizer() + "|" + c.peakLr() + "|" + c.warmup(),
                    k -> new ArrayList<>()).add(r);
        }
        List<List<?>> rows = new ArrayList<>();
        for (List<CellResult> group : bySetting.values()) {
            WarmupCell c = group.get(0).cell();
            double lossSum = 0;
            double targetSum = 0;
            int kept = 0;
            int diverged = 0;
            int reached = 0;
            for (CellResult r : group) {
                if (r.diverged()) {
                    diverged++;
                } else {
                    lossSum += r.finalLoss();
                    kept++;
                }
                if (r.stepsToTarget() != null) {
                    targetSum += r.stepsToTarget();
                    reached++;
                }
            }
            rows.add(List.of(task, c.normLabel(), c.optimizer(), c.peakLr(), c.warmup(), group.size(),
                    kept == 0 ? "" : lossSum / kept, diverged, reached, reached == 0 ? "" : targetSum / reached));
        }
        return rows;
    }

    private static Object blankIfNull(Object value) {
        return value == null ? "" : value;
    }
}
