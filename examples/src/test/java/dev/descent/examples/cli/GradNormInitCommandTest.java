package dev.descent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.analysis.gradnorm.DepthSweep;
import dev.descent.analysis.gradnorm.GradNormSetup;
import dev.descent.analysis.gradnorm.GradientNormsAtInit;
import dev.descent.analysis.gradnorm.ModelKind;
import dev.descent.analysis.gradnorm.PerLayerNorms;
import dev.descent.nn.NormPosition;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code descent gradnorm-init}: the JSON shape and numbers, the run folder, the sweep and bad input. */
class GradNormInitCommandTest {
    private record Result(int code, String out, String err) {
    }

    private static final String[] SMALL = {"--d-model", "16", "--heads", "2", "--seq-len", "8", "--batch-size", "2",
        "--seeds", "2", "--batches", "2", "--seed", "3"};

    @TempDir
    Path tmp;

    private static Result run(String... args) {
        CommandLine cl = new CommandLine(new GradNormInitCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static String[] with(String... args) {
        String[] all = new String[SMALL.length + args.length];
        System.arraycopy(SMALL, 0, all, 0, SMALL.length);
        System.arraycopy(args, 0, all, SMALL.length, args.length);
        return all;
    }

    private static GradNormSetup setup(ModelKind kind) {
        return GradNormSetup.builder(kind).dModel(16).heads(2).seqLen(8).batchSize(2).seeds(2).batches(2).seed(3)
                .build();
    }

    private static void assertArray(double[] expected, JsonNode actual) {
        assertArray(expected, actual, 0.0);
    }

    private static void assertArray(double[] expected, JsonNode actual, double relativeTolerance) {
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) {
            double tolerance = relativeTolerance * Math.abs(expected[i]);
            assertEquals(expected[i], actual.get(i).asDouble(), tolerance, "index " + i);
        }
    }

    @Test
    void jsonHasThePerLayerNormsOfTheStudyAndTheRunFolderHasTheFiles() throws Exception {
        Path dir = tmp.resolve("run");
        Result r = run(with("--layers", "3", "--norm", "post", "--json", "--out", dir.toString()));
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        PerLayerNorms expected = new GradientNormsAtInit(setup(ModelKind.LM)).measure(NormPosition.POST, 3);
        assertEquals("lm", doc.get("model").asText());
        assertEquals("post", doc.get("norm").asText());
        assertEquals(4, doc.get("samples").asInt());
        assertArray(expected.output().mean(), doc.get("per_layer"));
        assertArray(expected.output().std(), doc.get("std"));
        double top = expected.output().mean()[2];
        assertArray(new double[] {top * 2 / 3, top * Math.sqrt(2.0 / 3), top}, doc.get("prediction").get("per_layer"),
                1e-15);
        assertEquals(1.0, doc.get("prediction").get("last_layer_vs_l2").asDouble(), 0.0);
        assertEquals(64, doc.get("config").get("dim_feedforward").asInt());
        assertTrue(doc.get("depth_sweep") == null);
        assertEquals(doc, new ObjectMapper().readTree(dir.resolve("result.json").toFile()));
        List<String> csv = Files.readAllLines(dir.resolve("per_layer.csv"));
        assertEquals(4, csv.size());
        assertTrue(csv.get(1).startsWith("lm,Post-LN,3,blocks,1,"), csv.get(1));
        assertTrue(Files.size(dir.resolve("per_layer.png")) > 1000);
        assertTrue(Files.notExists(dir.resolve("depth.png")));
        JsonNode record = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
        assertEquals("descent gradnorm-init " + String.join(" ", with("--layers", "3", "--norm", "post", "--json",
                "--out", dir.toString())), record.get("command").asText());
        assertEquals(VersionProvider.projectVersion(), record.get("descent").asText());
        assertEquals(3, record.get("seed").asLong());
        assertEquals(doc.get("config"), record.get("config"));
    }

    @Test
    void depthsAddTheSweepAndBothNormsPerLayer() throws Exception {
        Path dir = tmp.resolve("sweep");
        Result r = run(with("--model", "encdec", "--layers", "2", "--norm", "pre", "--depths", "1,2", "--json",
                "--out", dir.toString()));
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        DepthSweep sweep = new GradientNormsAtInit(setup(ModelKind.ENCODER_DECODER)).sweep(1, 2);
        assertEquals("decoder", doc.get("stack").asText());
        assertArray(sweep.at(NormPosition.PRE, 2).output().mean(), doc.get("per_layer"));
        assertArray(sweep.at(NormPosition.PRE, 2).stack("encoder").mean(), doc.get("stacks").get(0).get("per_layer"));
        JsonNode d = doc.get("depth_sweep");
        assertArray(sweep.lastLayerMean(NormPosition.POST), d.get("post").get("last_layer"));
        double pre1 = sweep.lastLayerMean(NormPosition.PRE)[0];
        assertArray(new double[] {pre1, pre1 * Math.sqrt(1.5 / 2)}, d.get("pre").get("prediction"), 1e-15);
        List<String> perLayer = Files.readAllLines(dir.resolve("per_layer.csv"));
        assertEquals(1 + 2 * 2 * 2, perLayer.size(), "Pre-LN and Post-LN, encoder and decoder, 2 layers");
        assertEquals(1 + 2 * 2 * 2, Files.readAllLines(dir.resolve("depth.csv")).size());
        assertTrue(Files.size(dir.resolve("depth.png")) > 1000);
    }

    @Test
    void withoutJsonItPrintsASummary() {
        Result r = run(with("--layers", "2", "--norm", "pre", "--out", tmp.resolve("s").toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("lm Pre-LN, L = 2, 4 samples per layer"), r.out());
        assertTrue(r.out().contains("blocks   |dL/dW2,l|_F, l = 1..2: "), r.out());
    }

    @Test
    void badInputIsAUsageErrorThatNamesTheValue() {
        Result r = run(with("--layers", "2", "--norm", "middle"));
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("--norm: expected pre or post, got 'middle'"), r.err());
        r = run(with("--norm", "pre", "--depths", "4,2"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("strictly increasing, got [4, 2]"), r.err());
        r = run("--norm", "pre", "--d-model", "30", "--heads", "4");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("dModel 30 is not a multiple of heads 4"), r.err());
        r = run(with("--norm", "pre", "--model", "rnn"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown model 'rnn'"), r.err());
        r = run(with("--norm", "pre", "--layers", "0"));
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("--layers: expected L >= 1, got 0"), r.err());
    }
}
