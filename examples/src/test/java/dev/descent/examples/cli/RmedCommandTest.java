package dev.descent.examples.cli;

import static dev.descent.examples.cli.CommandRunner.run;
import static dev.descent.examples.cli.CommandRunner.usageError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.analysis.rmed.Rmed;
import dev.descent.examples.cli.CommandRunner.Result;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.io.SafeTensors;
import dev.descent.tensor.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code descent rmed} on a softmax regression of the digits: at step 0 both optimizers' R_med is that of the
 * closed-form diagonal of the initial model's Hessian over the command's 100 Hessian examples; the files; bad input.
 */
class RmedCommandTest {
    @TempDir
    Path tmp;

    @Test
    void startsFromTheClosedFormValueForBothOptimizersAndWritesTheFolder() throws Exception {
        Path dir = tmp.resolve("rmed");
        Result r = run("rmed", "--model", "mlp:64-10", "--data", "digits", "--optimizer", "SGD:lr=0.5",
                "--optimizer", "Adam:lr=0.01,betas=0.9,0.999", "--steps", "3", "--every", "2", "--hessian-examples",
                "100", "--json", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        JsonNode points = doc.get("points");
        assertEquals(2 * 3, points.size(), "two optimizers, steps 0, 2 and 3, one weight matrix");

        // the initial model, saved and read back as the closed form reads it
        Path initial = tmp.resolve("initial.safetensors");
        SafeTensors.saveModel(initial, ModelSpecs.buildModel("mlp:64-10", DataSpecs.loadData("digits"), new Rng(0)));
        DataSpecs.Data digits = DataSpecs.loadData("digits");
        Batch chosen = digits.batches().apply(AnalysisInputs.sample(digits, 100, 0));
        SoftmaxRegression exact = SoftmaxRegression.of(initial, new TensorDataset(chosen.inputs(), chosen.targets()));
        Rmed expected = Rmed.of(Arrays.copyOf(exact.diagonal(), 640));
        for (int i : new int[] {0, 3}) {
            JsonNode p = points.get(i);
            assertEquals(0, p.get("step").asLong());
            assertEquals("0.weight", p.get("layer").asText());
            assertTrue(p.get("exact").asBoolean());
            assertEquals(expected.value(), p.get("rmed").get("value").asDouble(), 1e-9 * expected.value());
            assertEquals(expected.median(), p.get("rmed").get("median").asDouble(), 1e-9 * expected.median());
        }
        assertEquals("SGD:lr=0.5", points.get(0).get("optimizer").asText());
        assertEquals("Adam:lr=0.01,betas=0.9,0.999", points.get(3).get("optimizer").asText());
        assertEquals(3, points.get(2).get("step").asLong());
        assertNotEquals(points.get(2).get("rmed").get("value").asDouble(),
                points.get(5).get("rmed").get("value").asDouble());
        assertTrue(doc.get("summary").get("0.weight").has("SGD:lr=0.5"));
        assertEquals(1 + 6, Files.readAllLines(dir.resolve("rmed.csv")).size());
        assertTrue(Files.readString(dir.resolve("run.json")).contains("\"hessian_examples\" : 100"));
        assertEquals(800, ImageIO.read(dir.resolve("rmed.png").toFile()).getWidth());
    }

    @Test
    void badInputIsReportedWithTheOption() {
        assertTrue(usageError("rmed", "--optimizer", "Nope:lr=1").contains("Nope"));
        assertTrue(usageError("rmed", "--optimizer", "SGD:0.5").contains("expected NAME:KEY=VALUE,..., got '0.5'"));
        assertTrue(usageError("rmed", "--optimizer", "SGD:lr=-1").contains("SGD"));
        assertTrue(usageError("rmed", "--every", "0").contains("every 0"));
        assertTrue(usageError("rmed", "--batch-size", "5000").contains("--batch-size: 5000"));
    }
}
