package dev.descent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.examples.cli.CommandRunner.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code descent bench-gemm --json --out}: the rows printed are the rows kept, with the seed in the record. */
class BenchGemmCommandTest {
    @Test
    void outKeepsThePrintedRowsAndTheSeed(@TempDir Path tmp) throws Exception {
        Result r = CommandRunner.run("bench-gemm", "--sizes", "16", "--threads", "1", "--seed", "3", "--json",
                "--out", tmp.toString());
        assertEquals(0, r.code(), r.err());
        ObjectMapper json = new ObjectMapper();
        JsonNode printed = json.readTree(r.out());
        assertEquals(1, printed.size());
        assertEquals(16, printed.get(0).get("n").asInt());
        assertTrue(printed.get(0).get("descentGflops").asDouble() > 0);
        assertEquals(printed, json.readTree(tmp.resolve("gemm.json").toFile()));
        List<String> csv = Files.readAllLines(tmp.resolve("gemm.csv"));
        assertEquals("n,threads,descent_gflops,cblas_gflops,ratio", csv.get(0));
        assertEquals(printed.get(0).get("ratio").asDouble(), Double.parseDouble(csv.get(1).split(",")[4]));
        JsonNode run = json.readTree(tmp.resolve("run.json").toFile());
        assertEquals(3, run.get("seed").asLong());
        assertTrue(run.get("machine").asText().startsWith("GEMM, FLOAT32"), run.toString());
    }
}
