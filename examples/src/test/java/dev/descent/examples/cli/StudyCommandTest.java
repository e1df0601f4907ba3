package dev.descent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.analysis.gradnorm.GradNormSetup;
import dev.descent.analysis.gradnorm.GradientNormsAtInit;
import dev.descent.analysis.study.LayerNormStudy;
import dev.descent.nn.NormPosition;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code descent study}: the command line of the main job (the study itself is tested in the analysis module). */
class StudyCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theQuickStudyRecordsItsCommandAndSaysWhereTheReportIs() throws Exception {
        CommandLine cl = DescentCommand.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        Path dir = tmp.resolve("study");
        assertEquals(0, cl.execute("study", "--quick", "--jobs", "1", "--out", dir.toString(), "--json"));
        JsonNode doc = new ObjectMapper().readTree(out.toString());
        assertEquals(dir.resolve("report.md").toString(), doc.get("report").asText());
        assertTrue(Files.readString(dir.resolve("report.md")).startsWith("# Pre-LN against Post-LN"));
        assertEquals(8, doc.get("warmup_runs").asInt());
        assertEquals(3, doc.get("top_eigenvalues").size());
        assertTrue(Files.readString(dir.resolve("command.txt")).startsWith("descent study --quick --jobs 1"));

        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("study", "--jobs", "0", "--out", dir.toString()));
        assertTrue(err.toString().contains("--jobs: expected >= 1, got 0"), err.toString());
    }

    @Test
    void theSeedGoesToTheGradientNormsAndPlusOneToTheTrainingRuns() throws Exception {
        Path dir = tmp.resolve("seeded");
        CommandLine cl = DescentCommand.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, cl.execute("study", "--quick", "--jobs", "1", "--seed", "2", "--out", dir.toString()));
        assertEquals(2, new ObjectMapper().readTree(dir.resolve("run.json").toFile()).get("seed").asLong());
        try (Stream<Path> runs = Files.list(dir.resolve("warmup").resolve("runs"))) {
            List<String> names = runs.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(8, names.size(), names.toString());
            assertTrue(names.stream().allMatch(n -> n.endsWith("-s3")), names.toString());
        }
        // the quick study's gradient-norm setup with seed 2, measured here directly
        GradNormSetup g = LayerNormStudy.Settings.quick(1).gradNorm();
        GradNormSetup seeded = new GradNormSetup(g.model(), g.dModel(), g.heads(), g.dimFeedforward(), g.seqLen(),
                g.batchSize(), g.batches(), g.seeds(), 2, g.taskVocabulary());
        double[] pre = new GradientNormsAtInit(seeded).sweep(LayerNormStudy.Settings.quick(1).depths())
                .lastLayerMean(NormPosition.PRE);
        List<String> rows = Files.readAllLines(dir.resolve("gradnorm").resolve("depth.csv")).stream()
                .filter(l -> l.startsWith("lm,Pre-LN,")).toList();
        assertEquals(pre.length, rows.size());
        for (int i = 0; i < pre.length; i++) {
            assertEquals(pre[i], Double.parseDouble(rows.get(i).split(",")[4]), 0.0, rows.get(i));
        }
    }
}
