package dev.descent.examples.cli;

import static dev.descent.examples.cli.CommandRunner.run;
import static dev.descent.examples.cli.CommandRunner.usageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.examples.cli.CommandRunner.Result;
import dev.descent.nn.data.TensorDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code descent batch-hessian} on a softmax regression of the digits, whose single-example and full-data Hessians
 * have closed forms ({@link SoftmaxRegression}); training first; bad input.
 */
class BatchHessianCommandTest {
    @TempDir
    Path tmp;

    @Test
    void singleExampleAndFullValuesAreTheClosedFormOnes() throws Exception {
        Path weights = tmp.resolve("linear.safetensors");
        assertEquals(0, run("train", "--model", "mlp:64-10", "--data", "digits", "--optimizer", "SGD", "--opt",
                "lr=0.5", "--steps", "20", "--json", "--out", tmp.resolve("train").toString(), "--save",
                weights.toString()).code());
        Path dir = tmp.resolve("bh");
        Result r = run("batch-hessian", "--model", "mlp:64-10", "--weights", weights.toString(), "--data", "digits",
                "--batch-sizes", "1,1797", "--batches-per-size", "3", "--lanczos-steps", "25", "--dtype", "float64",
                "--json", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        SoftmaxRegression exact = SoftmaxRegression.of(weights, (TensorDataset) DataSpecs.loadData("digits").dataset());
        double full = exact.topEigenvalue();
        assertEquals(full, doc.get("full").get("lambda_max").asDouble(), 1e-9 * full);
        List<Double> singles = new ArrayList<>();
        for (int i = 0; i < exact.examples(); i++) {
            singles.add(exact.exampleTop(i));
        }
        JsonNode one = doc.get("batches").get(0);
        assertEquals(1, one.get("batch_size").asInt());
        for (JsonNode v : one.get("values")) {
            assertTrue(singles.stream().anyMatch(s -> Math.abs(s - v.asDouble()) <= 1e-9 * s), v + " is no example's");
        }
        for (JsonNode v : doc.get("batches").get(1).get("values")) {
            assertEquals(full, v.asDouble(), 1e-9 * full, "a batch of every example is the full data");
        }
        assertEquals(1 + 6 + 1, Files.readAllLines(dir.resolve("batch_hessian.csv")).size());
        assertTrue(Files.exists(dir.resolve("batch_hessian.json")) && Files.exists(dir.resolve("run.json")));
        assertEquals(800, ImageIO.read(dir.resolve("batch_hessian.png").toFile()).getWidth());
    }

    @Test
    void trainingFirstChangesTheWeightsReproducibly() {
        String[] args = {"batch-hessian", "--model", "mlp:64-10", "--data", "digits", "--batch-sizes", "8",
            "--batches-per-size", "2", "--lanczos-steps", "10", "--train-steps", "20", "--out",
            tmp.resolve("t").toString()};
        Result trained = run(args);
        assertEquals(0, trained.code(), trained.err());
        assertEquals(trained.out(), run(args).out());
        String[] untrained = args.clone();
        untrained[untrained.length - 3] = "0";
        Result initial = run(untrained);
        assertTrue(!initial.out().equals(trained.out()), initial.out());
        assertTrue(trained.out().contains("full") && trained.out().contains("excess over the full value"),
                trained.out());
    }

    @Test
    void badInputIsReportedWithTheOption() {
        assertTrue(usageError("batch-hessian", "--model", "mlp:64-10", "--data", "digits", "--batch-sizes", "0,4")
                .contains("batch size 0 is outside 1..1797"));
        assertTrue(usageError("batch-hessian", "--model", "mlp:64-10", "--data", "digits", "--train-steps", "5",
                "--train-optimizer", "Nope").contains("Nope"));
    }
}
