package dev.descent.analysis.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.analysis.curvature.HessianOperator;
import dev.descent.analysis.spectrum.Lanczos;
import dev.descent.analysis.spectrum.Which;
import dev.descent.analysis.warmup.TrainedCells;
import dev.descent.analysis.warmup.WarmupCell;
import dev.descent.nn.NormPosition;
import dev.descent.tensor.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main study in miniature: every part runs, the report shows what was measured, its plots exist. */
class LayerNormStudyTest {
    @TempDir
    Path dir;

    @Test
    void theQuickStudyWritesAReportWhoseNumbersAndPlotsAreThere() throws Exception {
        List<String> progress = new ArrayList<>();
        LayerNormStudy.Settings settings = LayerNormStudy.Settings.quick(2);
        LayerNormStudy.Outcome o = LayerNormStudy.run(settings, dir, progress::add);
        assertTrue(progress.get(0).startsWith("[1/3]") && progress.stream().anyMatch(l -> l.startsWith("[3/3]")),
                progress.toString());
        assertEquals(8, o.warmup().results().size());
        String report = Files.readString(dir.resolve("report.md"));
        for (String section : List.of("## 1. Gradient norms", "## 2. Warmup", "## 3. Hessian spectra")) {
            assertTrue(report.contains(section), section);
        }
        Matcher images = Pattern.compile("!\\[[^]]*]\\(([^)]+)\\)").matcher(report);
        int count = 0;
        while (images.find()) {
            assertTrue(Files.size(dir.resolve(images.group(1))) > 1000, images.group(1));
            count++;
        }
        assertEquals(2 + 2 + 2 + 3, count, "depth, per-layer, two loss curves, gradients, final loss, 3 densities");
        // the report's warmup table has one row per run, with the run's final loss
        for (var r : o.warmup().results()) {
            assertTrue(report.contains(String.format(java.util.Locale.ROOT, "| %.3f |", r.finalLoss())), r.id());
        }

        // the top eigenvalue is the trained model's: at most a long Lanczos run's, and close to it
        HessianSummary pre = o.hessians().get(0);
        var trained = new TrainedCells(settings.warmup().settings(), dir.resolve("warmup")).load(
                new WarmupCell(NormPosition.PRE, "Adam", 1e-2, 0, 1), 1);
        HessianOperator op = HessianOperator.builder(trained.model(), (m, b) -> trained.loss().apply(b))
                .batch(trained.batches().get(0)).build();
        double top = new Lanczos(60).topK(op, 1, Which.LARGEST_ALGEBRAIC, false, new Rng(9)).values()[0];
        assertTrue(pre.top()[0] <= top * (1 + 1e-6) && pre.top()[0] > 0.5 * top, pre.top()[0] + " vs " + top);
        assertTrue(report.contains(String.format(java.util.Locale.ROOT, "%.4g", pre.top()[0])));
    }
}
