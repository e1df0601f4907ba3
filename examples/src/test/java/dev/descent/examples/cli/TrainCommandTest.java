package dev.descent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.nn.io.SafeTensors;
import dev.descent.tensor.Tensor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code descent train}: the run folder, learning, the JSON shape, exact resume and bad input. */
class TrainCommandTest {
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

    private static String error(String... args) {
        Result r = run(args);
        assertEquals(2, r.code(), r.out() + r.err());
        return r.err().lines().findFirst().orElse("");
    }

    @Test
    void anMlpOnDigitsWritesTheRunFolderAndLearns() throws Exception {
        Path dir = tmp.resolve("run");
        Path model = tmp.resolve("mlp.safetensors");
        Result r = run("train", "--model", "mlp:64-32-10", "--data", "digits", "--optimizer", "Adam", "--opt",
                "lr=1e-2", "--steps", "120", "--batch-size", "32", "--seed", "3", "--out", dir.toString(), "--save",
                model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(dir.resolve("command.txt")).startsWith(
                "descent train --model mlp:64-32-10 --data digits --optimizer Adam"));
        JsonNode record = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
        assertEquals(3, record.get("seed").asLong());
        assertTrue(record.get("descent").asText().length() > 0);
        assertTrue(record.get("java").asText().length() > 0);
        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals("step,epoch,loss,accuracy,lr", lines.get(0));
        assertEquals(121, lines.size());
        double first = mean(lines.subList(1, 11));
        double last = mean(lines.subList(111, 121));
        assertTrue(last < first / 3, "loss " + first + " -> " + last);
        for (String png : new String[] {"loss.png", "accuracy.png"}) {
            byte[] b = Files.readAllBytes(dir.resolve(png));
            assertTrue(b.length > 100 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G', png);
        }
        Map<String, Tensor> saved = SafeTensors.read(model).tensors();
        assertEquals(List.of("0.bias", "0.weight", "2.bias", "2.weight"), saved.keySet().stream().sorted().toList());
        assertArrayEquals(new int[] {32, 64}, saved.get("0.weight").shape().toArray());
    }

    private static double mean(List<String> rows) {
        return rows.stream().mapToDouble(l -> Double.parseDouble(l.split(",")[2])).average().orElseThrow();
    }

    @Test
    void jsonHasTheConfigAndTheFinalMetrics() throws Exception {
        Result r = run("train", "--model", "mlp:64-10", "--data", "digits", "--optimizer", "SGD", "--opt", "lr=0.1",
                "--steps", "5", "--out", tmp.resolve("j").toString(), "--json", "--schedule", "cosine");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("mlp:64-10", doc.get("model").asText());
        assertEquals("digits", doc.get("data").asText());
        assertEquals("SGD", doc.get("optimizer").asText());
        assertEquals(0.1, doc.get("hyperparameters").get("lr").asDouble());
        assertEquals("cosine", doc.get("schedule").asText());
        assertEquals(5, doc.get("steps").asInt());
        assertTrue(doc.get("final").get("loss").isNumber());
        assertTrue(doc.get("final").get("accuracy").isNumber());
        assertEquals(tmp.resolve("j").toString(), doc.get("run").asText());
    }

    @Test
    void resumingContinuesExactly() throws Exception {
        String[] common = {"--model", "mlp:64-16-10", "--data", "digits", "--optimizer", "AdamW", "--opt", "lr=3e-3",
            "--schedule", "warmup-cosine:5", "--schedule-steps", "30", "--batch-size", "100", "--seed", "7", "--json"};
        Path ck = tmp.resolve("ck");
        Path whole = tmp.resolve("whole.safetensors");
        Path resumed = tmp.resolve("resumed.safetensors");
        // 17 steps per epoch of 1797 / 100: the split at 20 falls inside the second epoch
        assertEquals(0, run(concat(common, "train", "--steps", "30", "--out", tmp.resolve("a").toString(), "--save",
                whole.toString())).code());
        assertEquals(0, run(concat(common, "train", "--steps", "20", "--out", tmp.resolve("b").toString(),
                "--checkpoint", ck.toString())).code());
        Result r = run(concat(common, "train", "--steps", "30", "--out", tmp.resolve("b").toString(), "--resume",
                ck.toString(), "--save", resumed.toString()));
        assertEquals(0, r.code(), r.err());
        assertEquals(20, new ObjectMapper().readTree(r.out()).get("resumed_from").asInt());
        Map<String, Tensor> a = SafeTensors.read(whole).tensors();
        Map<String, Tensor> b = SafeTensors.read(resumed).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), 0f, k);
        }
        assertEquals(31, Files.readAllLines(tmp.resolve("b").resolve("metrics.csv")).size());
        assertEquals(Files.readAllLines(tmp.resolve("a").resolve("metrics.csv")),
                Files.readAllLines(tmp.resolve("b").resolve("metrics.csv")));
    }

    private static String[] concat(String[] common, String... first) {
        String[] all = new String[first.length + common.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(common, 0, all, first.length, common.length);
        return all;
    }

    @Test
    void badInputGetsAClearMessageAndExitCode2() {
        String out = tmp.resolve("x").toString();
        assertTrue(error("train", "--model", "mlp:64-10", "--data", "digits", "--optimizer", "Adamm", "--out", out)
                .startsWith("unknown optimizer 'Adamm' (known: SGD, Adam,"));
        assertTrue(error("train", "--model", "mlpp:64-10", "--data", "digits", "--optimizer", "Adam", "--out", out)
                .startsWith("--model: unknown model 'mlpp:64-10' (known: mlp:IN-H1-...-OUT, cnn"));
        assertTrue(error("train", "--model", "mlp:64-10", "--data", "nosuchdata", "--optimizer", "Adam", "--out", out)
                .startsWith("--data: unknown data 'nosuchdata' (known: mnist10k, digits, tinyshakespeare"));
        assertEquals("Adam: unknown hyperparameter 'momentum' (known: lr, betas, eps, weight_decay, amsgrad, maximize,"
                + " decoupled_weight_decay)", error("train", "--model", "mlp:64-10", "--data", "digits", "--optimizer",
                        "Adam", "--opt", "momentum=0.9", "--out", out));
        assertEquals("--opt: expected KEY=VALUE, got 'lr'", error("train", "--model", "mlp:64-10", "--data",
                "digits", "--optimizer", "Adam", "--opt", "lr", "--out", out));
        assertEquals("--model: 'mlp:784-10' takes 784 inputs but digits has 64 features per example",
                error("train", "--model", "mlp:784-10", "--data", "digits", "--optimizer", "Adam", "--out", out));
        assertTrue(error("train", "--model", "mlp:64-10", "--data", "digits", "--optimizer", "Adam", "--schedule",
                "wobbly", "--out", out).startsWith("--schedule: unknown schedule 'wobbly'"));
        assertTrue(error("train", "--model", "mlp:64-10", "--data", "digits", "--optimizer", "Adam", "--steps", "3",
                "--epochs", "1", "--out", out).contains("mutually exclusive"));
    }
}
