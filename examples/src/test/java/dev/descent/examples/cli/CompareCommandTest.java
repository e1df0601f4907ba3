package dev.descent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code descent compare}: shared initialisation and data order, the tables, resume and bad input. */
class CompareCommandTest {
    private record Result(int code, String out, String err) {
    }

    @TempDir
    Path tmp;

    private static Result run(String... args) {
        CommandLine cl = DescentCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode result(Path dir, String run) throws Exception {
        return JSON.readTree(dir.resolve("runs").resolve(run).resolve("result.json").toFile());
    }

    private String[] args(Path dir) {
        return new String[] {"compare", "--optimizers", "Adam,fast=SGD,slow=SGD", "--opt", "fast.lr=0.1", "--opt",
            "slow.lr=0.001", "--model", "mlp:64-16-10", "--data", "digits", "--steps", "30", "--seeds", "2", "--seed",
            "5", "--eval-every", "10", "--out", dir.toString(), "--json"};
    }

    @Test
    void everyOptimizerStartsFromTheSameWeightsAndBatchesAndTheTablesAgree() throws Exception {
        Path dir = tmp.resolve("cmp");
        Result r = run(args(dir));
        assertEquals(0, r.code(), r.err());
        for (int seed : new int[] {5, 6}) {
            // the loss of step 1 is taken before any update: equal weights and an equal first batch give equal losses
            double first = result(dir, "Adam-seed" + seed).get("losses").get(0).asDouble();
            assertEquals(first, result(dir, "fast-seed" + seed).get("losses").get(0).asDouble(), 0.0);
            assertEquals(first, result(dir, "slow-seed" + seed).get("losses").get(0).asDouble(), 0.0);
        }
        assertNotEquals(result(dir, "Adam-seed5").get("losses").get(0).asDouble(),
                result(dir, "Adam-seed6").get("losses").get(0).asDouble());
        // the same run through `descent train` (same model, data order and optimizer) gives the same losses
        Path train = tmp.resolve("train");
        assertEquals(0, run("train", "--model", "mlp:64-16-10", "--data", "digits", "--optimizer", "SGD", "--opt",
                "lr=0.1", "--steps", "30", "--seed", "6", "--out", train.toString(), "--json").code());
        List<String> metrics = Files.readAllLines(train.resolve("metrics.csv"));
        JsonNode losses = result(dir, "fast-seed6").get("losses");
        for (int i = 0; i < 30; i++) {
            assertEquals(Double.parseDouble(metrics.get(i + 1).split(",")[2]), losses.get(i).asDouble(), 0.0);
        }
        JsonNode doc = JSON.readTree(r.out());
        JsonNode summary = doc.get("summary");
        assertEquals(3, summary.size());
        assertEquals("fast", summary.get(1).get("label").asText());
        double fast = summary.get(1).get("final_loss").asDouble();
        double slow = summary.get(2).get("final_loss").asDouble();
        assertTrue(fast < slow, "SGD at lr 0.1 ends lower than at 0.001: " + fast + " vs " + slow);
        // the summary's final loss is the mean over seeds of each run's mean loss over its last 5% (here 1) steps
        double expected = (losses.get(29).asDouble() + result(dir, "fast-seed5").get("losses").get(29).asDouble()) / 2;
        assertEquals(expected, fast, 1e-15);
        assertEquals(0, summary.get(1).get("state_bytes").asLong(), "plain SGD keeps no state");
        long params = 64 * 16 + 16 + 16 * 10 + 10;
        assertEquals(2.0 * 4 * params, summary.get(0).get("state_bytes").asDouble(), 0.0, "Adam: two float32 moments");
        assertEquals(7, Files.readAllLines(dir.resolve("results.csv")).size(), "the header and 6 runs");
        assertTrue(Files.size(dir.resolve("loss.png")) > 1000 && Files.size(dir.resolve("accuracy.png")) > 1000);
        JsonNode record = JSON.readTree(dir.resolve("run.json").toFile());
        assertEquals("descent " + String.join(" ", args(dir)), record.get("command").asText());
        assertEquals(VersionProvider.projectVersion(), record.get("descent").asText());
        assertEquals(5, record.get("seed").asLong());
        assertEquals("{\"optimizer\":\"SGD\",\"options\":{\"lr\":\"0.1\"}}",
                record.get("config").get("optimizers").get("fast").toString());
        assertEquals(30, record.get("config").get("steps").asLong());
        assertEquals(2, record.get("config").get("seeds").asInt());
        assertEquals(List.of(10L, 20L, 30L), JSON.convertValue(result(dir, "Adam-seed5").get("evalSteps"),
                JSON.getTypeFactory().constructCollectionType(List.class, Long.class)));
    }

    @Test
    void aRerunResumesWithOnlyTheMissingRuns() throws Exception {
        Path dir = tmp.resolve("cmp");
        assertEquals(0, run(args(dir)).code());
        String kept = Files.readString(dir.resolve("runs/Adam-seed5/result.json"));
        JsonNode removed = result(dir, "slow-seed6");
        Files.delete(dir.resolve("runs/slow-seed6/result.json"));
        assertEquals(0, run(args(dir)).code());
        assertEquals(kept, Files.readString(dir.resolve("runs/Adam-seed5/result.json")), "finished runs are not rerun");
        assertEquals(removed.get("losses"), result(dir, "slow-seed6").get("losses"), "the rerun repeats exactly");
    }

    @Test
    void badInputIsNamed() {
        Result r = run("compare", "--optimizers", "Adam,Nope", "--model", "mlp:64-10", "--data", "digits");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Nope"), r.err());
        r = run("compare", "--optimizers", "Adam", "--opt", "SGD.lr=1", "--model", "mlp:64-10", "--data", "digits");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("SGD is not one of --optimizers [Adam]"), r.err());
        r = run("compare", "--optimizers", "Adam,Adam", "--model", "mlp:64-10", "--data", "digits");
        assertTrue(r.err().contains("Adam is given twice"), r.err());
        r = run("compare", "--optimizers", "Adam", "--opt", "Adam.lr=-1", "--model", "mlp:64-10", "--data", "digits");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--opt Adam:"), r.err());
    }
}
