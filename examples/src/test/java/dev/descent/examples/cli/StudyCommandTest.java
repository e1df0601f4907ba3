package dev.descent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
