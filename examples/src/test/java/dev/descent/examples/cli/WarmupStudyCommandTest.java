package dev.descent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code descent warmup-study}: a tiny grid, its JSON and files, resuming after a lost cell, and bad input. */
class WarmupStudyCommandTest {
    private record Result(int code, String out, String err) {
    }

    @TempDir
    Path tmp;

    private static Result run(String... args) {
        CommandLine cl = new CommandLine(new WarmupStudyCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static String[] tinyGrid(Path dir, String... more) {
        List<String> args = new ArrayList<>(List.of("--task", "lm", "--norm", "pre,post", "--lr", "3e-3",
                "--warmup", "0,4", "--optimizer", "adam", "--seeds", "1", "--steps", "8", "--d-model", "16",
                "--heads", "2", "--layers", "2", "--seq-len", "8", "--batch-size", "4", "--window", "3",
                "--grad-steps", "0", "--jobs", "2", "--out", dir.toString()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void theFolderRecordsTheCommandAsTypedTheVersionsAndTheSeeds() throws Exception {
        Path dir = tmp.resolve("recorded");
        String[] typed = {"warmup-study", "--norm", "pre", "--lr", "3e-3", "--warmup", "0", "--seeds", "3,4",
            "--steps", "4", "--d-model", "16", "--heads", "2", "--layers", "1", "--seq-len", "8", "--batch-size", "2",
            "--window", "2", "--grad-steps", "0", "--jobs", "1", "--out", dir.toString(), "--json"};
        CommandLine cl = DescentCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        assertEquals(0, cl.execute(typed), err.toString());
        // the subcommand's name once, as it was typed
        assertEquals("descent " + String.join(" ", typed) + "\n", Files.readString(dir.resolve("command.txt")));
        JsonNode record = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
        assertEquals("descent " + String.join(" ", typed), record.get("command").asText());
        assertEquals(VersionProvider.projectVersion(), record.get("descent").asText());
        assertEquals(3, record.get("seed").asLong());
        assertEquals("[3,4]", record.get("seeds").toString());
    }

    @Test
    void seedIsOneSeed() throws Exception {
        Path dir = tmp.resolve("one-seed");
        Result r = run("--norm", "pre", "--lr", "3e-3", "--warmup", "0", "--seed", "7", "--steps", "2", "--d-model",
                "16", "--heads", "2", "--layers", "1", "--seq-len", "8", "--batch-size", "2", "--window", "2",
                "--grad-steps", "0", "--jobs", "1", "--out", dir.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode record = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
        assertEquals("[7]", record.get("seeds").toString());
        assertEquals(7, record.get("seed").asLong());
    }

    @Test
    void aTinyGridWritesItsTablesAndResumesOnlyTheLostCell() throws Exception {
        Path dir = tmp.resolve("study");
        Result first = run(tinyGrid(dir, "--json"));
        assertEquals(0, first.code(), first.err());
        JsonNode doc = new ObjectMapper().readTree(first.out());
        assertEquals(4, doc.get("trained").asInt());
        assertEquals(0, doc.get("reused").asInt());
        assertEquals(4, doc.get("cells").size());
        assertEquals("pre-adam-lr3e-3-w0-s1", doc.get("cells").get(0).get("cell").asText());
        assertEquals(8, doc.get("cells").get(0).get("steps_run").asInt());
        assertEquals(2, doc.get("settings").get("model").get("layers").asInt());
        assertEquals(List.of(0L, 7L), List.of(doc.get("settings").get("gradient_steps").get(0).asLong(),
                doc.get("settings").get("gradient_steps").get(1).asLong()));
        for (String f : List.of("results.csv", "summary.csv", "results.json", "loss-adam-lr3e-3.png",
                "grad-norm-step0.png", "final-loss.png", "command.txt")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals(5, csv.size());
        assertTrue(csv.get(0).startsWith("cell,task,norm,optimizer,peak_lr,warmup,seed,initial_loss,final_loss,diverged"));
        byte[] results = Files.readAllBytes(dir.resolve("results.csv"));
        byte[] summary = Files.readAllBytes(dir.resolve("summary.csv"));
        byte[] json = Files.readAllBytes(dir.resolve("results.json"));

        Files.delete(dir.resolve("runs/post-adam-lr3e-3-w0-s1/result.json"));
        Result second = run(tinyGrid(dir));
        assertEquals(0, second.code(), second.err());
        assertTrue(second.err().contains("post-adam-lr3e-3-w0-s1 trained"), second.err());
        assertEquals(3, second.err().lines().filter(l -> l.contains(" loaded:")).count(), second.err());
        assertTrue(second.out().contains("1 cells trained, 3 loaded"), second.out());
        assertTrue(second.out().startsWith("norm  optimizer"), second.out());
        assertArrayEquals(results, Files.readAllBytes(dir.resolve("results.csv")), "results.csv");
        assertArrayEquals(summary, Files.readAllBytes(dir.resolve("summary.csv")), "summary.csv");
        assertArrayEquals(json, Files.readAllBytes(dir.resolve("results.json")), "results.json");
    }

    @Test
    void badInputIsReportedWithTheValue() {
        Path dir = tmp.resolve("bad");
        Result norm = run("--norm", "middle", "--out", dir.toString());
        assertEquals(2, norm.code());
        assertTrue(norm.err().contains("middle"), norm.err());
        Result lr = run("--lr", "-1e-3", "--out", dir.toString());
        assertEquals(2, lr.code());
        assertTrue(lr.err().contains("-0.001"), lr.err());
        Result opt = run("--optimizer", "adamm", "--out", dir.toString());
        assertEquals(2, opt.code());
        assertTrue(opt.err().contains("adamm") && opt.err().contains("known"), opt.err());
        Result option = run("--opt", "betaz=0.9", "--out", dir.toString());
        assertEquals(2, option.code());
        assertTrue(option.err().contains("betaz"), option.err());
        Result both = run(tinyGrid(dir, "--seed", "5"));
        assertEquals(2, both.code());
        assertTrue(both.err().startsWith("--seed and --seeds: give one of them, got --seed 5 and --seeds [1]"),
                both.err());
        Result jobs = run("--jobs", "0", "--out", dir.toString());
        assertEquals(2, jobs.code());
        assertTrue(jobs.err().contains("--jobs"), jobs.err());
    }
}
