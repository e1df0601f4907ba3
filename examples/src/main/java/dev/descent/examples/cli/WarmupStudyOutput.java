package dev.descent.examples.cli;

import dev.descent.analysis.warmup.CellResult;
import dev.descent.analysis.warmup.StudyResult;
import dev.descent.analysis.warmup.WarmupGrid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code descent warmup-study} prints: an aligned table for the terminal, or one JSON document. */
final class WarmupStudyOutput {
    private WarmupStudyOutput() {
    }

    /** One row per cell: norm, optimizer, peak lr, warmup, seed, initial and final loss, steps to target, status. */
    static String table(List<CellResult> results) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-5s %-13s %9s %7s %5s %10s %10s %9s %15s%n",
                "norm", "optimizer", "peak_lr", "warmup", "seed", "init_loss", "final_loss", "to_target", "status"));
        for (CellResult r : results) {
            String toTarget = r.stepsToTarget() == null ? "-" : r.stepsToTarget().toString();
            String status = r.diverged() ? "diverged@" + r.divergedAt() : r.status();
            out.append(String.format(Locale.ROOT, "%-5s %-13s %9s %7d %5d %10.4f %10.4f %9s %15s%n",
                    r.cell().normLabel(), r.cell().optimizer(), r.cell().peakLr(), r.cell().warmup(), r.cell().seed(),
                    r.initialLoss(), r.finalLoss(), toTarget, status));
        }
        return out.toString();
    }

    /** The {@code --json} document: folder, counts, wall seconds, settings, axes and one summary per cell. */
    static Map<String, Object> document(WarmupGrid grid, StudyResult result, double seconds) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("folder", result.folder().toString());
        doc.put("trained", result.trained());
        doc.put("reused", result.reused());
        doc.put("seconds", seconds);
        doc.put("settings", grid.settings().describe());
        doc.put("grid", grid.describeAxes());
        List<Map<String, Object>> cells = new ArrayList<>();
        for (CellResult r : result.results()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("cell", r.id());
            c.put("norm", r.cell().normLabel());
            c.put("optimizer", r.cell().optimizer());
            c.put("peak_lr", r.cell().peakLr());
            c.put("warmup", r.cell().warmup());
            c.put("seed", r.cell().seed());
            c.put("initial_loss", r.initialLoss());
            c.put("final_loss", r.finalLoss());
            c.put("diverged", r.diverged());
            c.put("diverged_at_step", r.divergedAt());
            c.put("steps_to_target", r.stepsToTarget());
            c.put("steps_run", r.stepsRun());
            c.put("status", r.status());
            cells.add(c);
        }
        doc.put("cells", cells);
        return doc;
    }
}
