package dev.descent.examples.cli;

import static dev.descent.examples.cli.CommandRunner.run;
import static dev.descent.examples.cli.CommandRunner.usageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.examples.cli.CommandRunner.Result;
import dev.descent.nn.data.TensorDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code descent hessian} on a softmax regression of the digits trained by {@code descent train --save}, whose
 * Hessian is known in closed form ({@link SoftmaxRegression}); the run folder, the text output and bad input.
 */
class HessianCommandTest {
    @TempDir
    static Path tmp;

    private static Path weights;

    @BeforeAll
    static void trainASoftmaxRegression() {
        weights = tmp.resolve("linear.safetensors");
        Result r = run("train", "--model", "mlp:64-10", "--data", "digits", "--optimizer", "SGD", "--opt", "lr=0.5",
                "--steps", "30", "--batch-size", "64", "--json", "--out", tmp.resolve("train").toString(), "--save",
                weights.toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void jsonAgreesWithTheClosedFormHessian() throws Exception {
        Path dir = tmp.resolve("full");
        Result r = run("hessian", "--model", "mlp:64-10", "--weights", weights.toString(), "--data", "digits",
                "--top-k", "3", "--lanczos-steps", "40", "--density", "--density-runs", "2", "--trace",
                "--trace-samples", "30", "--dtype", "float64", "--json", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        SoftmaxRegression exact = SoftmaxRegression.of(weights, (TensorDataset) DataSpecs.loadData("digits").dataset());
        assertEquals(1797, doc.get("examples").asInt());
        assertEquals(650, doc.get("parameters").asInt());
        assertEquals("float64", doc.get("dtype").asText());
        double top = exact.topEigenvalue();
        JsonNode eigenvalues = doc.get("eigenvalues");
        assertEquals(3, eigenvalues.size());
        assertEquals(top, eigenvalues.get(0).asDouble(), 1e-9 * top);
        assertTrue(eigenvalues.get(1).asDouble() <= eigenvalues.get(0).asDouble()
                && eigenvalues.get(2).asDouble() <= eigenvalues.get(1).asDouble(), eigenvalues.toString());
        assertTrue(doc.get("residuals").get(0).asDouble() < 1e-6 * top, doc.get("residuals").toString());
        double trace = doc.get("trace").asDouble();
        double se = doc.get("trace_standard_error").asDouble();
        assertTrue(Math.abs(trace - exact.trace()) < 4 * se, trace + " ± " + se + " vs " + exact.trace());
        JsonNode density = doc.get("density");
        assertEquals(2, density.get("runs").asInt());
        for (int run = 0; run < 2; run++) {
            JsonNode nodes = density.get("nodes").get(run);
            double weightSum = 0;
            for (JsonNode w : density.get("weights").get(run)) {
                weightSum += w.asDouble();
            }
            assertEquals(1, weightSum, 1e-12);
            assertEquals(40, nodes.size());
            // Ritz values lie inside the spectrum of the positive semi-definite H
            assertTrue(nodes.get(39).asDouble() <= top * (1 + 1e-9) && nodes.get(0).asDouble() >= -1e-9 * top);
        }
        assertEquals(dir.toString(), doc.get("run").asText());
        assertTrue(Files.readString(dir.resolve("hessian.json")).contains("\"command\" : \"descent hessian --model"));
        assertEquals(4, Files.readAllLines(dir.resolve("eigenvalues.csv")).size());
        assertEquals(1 + 80, Files.readAllLines(dir.resolve("slq.csv")).size());
        assertTrue(Files.readAllLines(dir.resolve("density.csv")).size() > 1000);
        assertEquals(800, ImageIO.read(dir.resolve("density.png").toFile()).getWidth());
    }

    @Test
    void aRandomBatchIsReproducibleBySeedAndPrintedAsText() {
        String[] args = {"hessian", "--model", "mlp:64-10", "--weights", weights.toString(), "--data", "digits",
            "--batch", "100", "--out", tmp.resolve("batch").toString()};
        Result first = run(args);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().startsWith("Hessian of mlp:64-10 on digits: 100 examples, 650 parameters, float32"),
                first.out());
        assertTrue(first.out().contains("top 1 eigenvalues (Lanczos, 30 steps):"), first.out());
        assertEquals(first.out(), run(args).out());
        // a Ritz residual under float32's rounding of the products is printed as that bound
        String line = first.out().lines().skip(2).findFirst().orElseThrow();
        double lambda = Double.parseDouble(line.trim().split("\\s+")[1]);
        String residual = line.substring(line.indexOf("residual ") + "residual ".length());
        if (residual.startsWith("<")) {
            assertEquals(String.format(Locale.ROOT, "< %.1e (float32 rounding)", 0x1p-23 * lambda), residual);
        } else {
            assertTrue(Double.parseDouble(residual) >= 0x1p-23 * lambda, line);
        }
        String[] otherSeed = args.clone();
        otherSeed[otherSeed.length - 1] = tmp.resolve("batch2").toString();
        Result other = run(concat(otherSeed, "--seed", "1"));
        assertNotEquals(first.out().lines().skip(2).findFirst(), other.out().lines().skip(2).findFirst());
    }

    @Test
    void badInputIsReportedWithTheOption() {
        String w = weights.toString();
        assertTrue(usageError("hessian", "--model", "mlp:64-10", "--data", "digits", "--batch", "half")
                .contains("--batch: expected full or a number of examples, got 'half'"));
        assertTrue(usageError("hessian", "--model", "mlp:64-10", "--data", "digits", "--batch", "5000")
                .contains("--batch: 5000 examples asked, digits has 1797"));
        assertTrue(usageError("hessian", "--model", "mlp:64-10", "--data", "digits", "--dtype", "float16")
                .contains("--dtype: expected float32 or float64, got 'float16'"));
        assertTrue(usageError("hessian", "--model", "mlp:64-10", "--data", "digits", "--top-k", "0")
                .contains("--top-k"));
        assertTrue(usageError("hessian", "--model", "mlp:64-32-10", "--weights", w, "--data", "digits")
                .startsWith("--weights: "));
        assertTrue(usageError("hessian", "--model", "mlp:64-10", "--weights", tmp.resolve("none").toString(),
                "--data", "digits").contains("--weights: no file"));
    }

    private static String[] concat(String[] a, String... more) {
        String[] out = Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, out, a.length, more.length);
        return out;
    }
}
