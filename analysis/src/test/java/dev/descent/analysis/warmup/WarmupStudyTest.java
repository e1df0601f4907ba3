package dev.descent.analysis.warmup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.nn.NormPosition;
import dev.descent.tensor.Threads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny study: the same tables whatever the number of jobs, resuming, and a folder of other settings refused. */
class WarmupStudyTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path dir;

    private static WarmupGrid grid(long steps) {
        return new WarmupGrid(List.of(NormPosition.PRE, NormPosition.POST), List.of(3e-3), List.of(0L, 4L),
                List.of("Adam"), List.of(1L), CellRunTest.tiny(WarmupTask.LM, steps));
    }

    private static WarmupGrid oneCell(long steps) {
        return new WarmupGrid(List.of(NormPosition.POST), List.of(1e-3), List.of(0L), List.of("Adam"), List.of(1L),
                CellRunTest.tiny(WarmupTask.LM, steps));
    }

    private static byte[] read(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    @Test
    void twoJobsThenOneJobAfterALostCellGiveTheSameTables() throws IOException {
        Path study = dir.resolve("study");
        int threadsBefore = Threads.get();
        StudyResult first = WarmupStudy.run(grid(10), study, 2, null);
        assertEquals(threadsBefore, Threads.get(), "the library's thread count is restored");
        assertEquals(4, first.trained());
        assertEquals(0, first.reused());
        byte[] csv = read(study.resolve("results.csv"));
        byte[] summary = read(study.resolve("summary.csv"));
        byte[] json = read(study.resolve("results.json"));

        String lost = "post-adam-lr3e-3-w4-s1";
        Files.delete(study.resolve("runs").resolve(lost).resolve("result.json"));
        Path kept = study.resolve("runs/pre-adam-lr3e-3-w0-s1/result.json");
        FileTime keptTime = FileTime.fromMillis(0);
        Files.setLastModifiedTime(kept, keptTime);
        List<String> trainedNow = Collections.synchronizedList(new ArrayList<>());
        StudyResult second = WarmupStudy.run(grid(10), study, 1, (r, reused, done, total) -> {
            if (!reused) {
                trainedNow.add(r.id());
            }
        });
        assertEquals(List.of(lost), trainedNow);
        assertEquals(1, second.trained());
        assertEquals(3, second.reused());
        assertEquals(keptTime, Files.getLastModifiedTime(kept), "a finished cell is not written again");
        assertArrayEquals(csv, read(study.resolve("results.csv")), "results.csv");
        assertArrayEquals(summary, read(study.resolve("summary.csv")), "summary.csv");
        assertArrayEquals(json, read(study.resolve("results.json")), "results.json");
        assertEquals(5, Files.readAllLines(study.resolve("results.csv")).size());
    }

    @Test
    void theReportHasPlotsAndStepZeroGradientsDependOnNormAndSeedOnly() throws IOException {
        Path study = dir.resolve("plots");
        StudyResult r = WarmupStudy.run(grid(6), study, 2, null);
        for (String png : List.of("loss-adam-lr3e-3.png", "grad-norm-step0.png", "final-loss.png")) {
            byte[] head = java.util.Arrays.copyOf(read(study.resolve(png)), 4);
            assertArrayEquals(PNG_SIGNATURE, head, png);
        }
        List<CellResult> results = r.results();
        assertEquals(List.of("pre-adam-lr3e-3-w0-s1", "pre-adam-lr3e-3-w4-s1", "post-adam-lr3e-3-w0-s1",
                "post-adam-lr3e-3-w4-s1"), results.stream().map(CellResult::id).toList());
        // the warmup changes the first update's rate, not the initial weights or the first batch
        assertEquals(results.get(0).gradients().get(0), results.get(1).gradients().get(0));
        assertEquals(results.get(2).gradients().get(0), results.get(3).gradients().get(0));
        assertTrue(results.get(0).gradients().get(0).total() != results.get(2).gradients().get(0).total());
        List<String> lossCsv = Files.readAllLines(study.resolve("runs/post-adam-lr3e-3-w4-s1/loss.csv"));
        assertEquals("step,lr,loss", lossCsv.get(0));
        assertEquals(7, lossCsv.size());
        assertEquals(3e-3 / 4, Double.parseDouble(lossCsv.get(1).split(",")[1]), 1e-18);
    }

    @Test
    void aFolderRunWithOtherSettingsIsRefused() {
        Path study = dir.resolve("other");
        WarmupStudy.run(oneCell(5), study, 1, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WarmupStudy.run(oneCell(6), study, 1, null));
        assertTrue(e.getMessage().contains("settings") && e.getMessage().contains("another study folder"),
                e.getMessage());
    }
}
