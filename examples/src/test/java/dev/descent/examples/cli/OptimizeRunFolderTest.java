package dev.descent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.examples.cli.CommandRunner.Result;
import dev.descent.tensor.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run options of {@code descent optimize} and {@code descent optimizers}: gradient noise from {@code --seed}
 * against SGD's recursion computed here, and the files of {@code --out}.
 */
class OptimizeRunFolderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static JsonNode json(String... args) throws Exception {
        Result r = CommandRunner.run(args);
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(r.out());
    }

    @Test
    void noisySgdOnTheQuadraticFollowsItsRecursionWithTheSeedsGaussians() throws Exception {
        double lr = 0.01;
        double sigma = 0.3;
        JsonNode traj = json("optimize", "--optimizer", "SGD", "--opt", "lr=0.01", "--function", "quadratic",
                "--steps", "20", "--noise", "0.3", "--seed", "5", "--json").get("trajectory");
        double[] x = new double[10];
        java.util.Arrays.fill(x, 1.0);
        Rng rng = new Rng(5);
        for (int t = 1; t <= 20; t++) {
            for (int i = 0; i < 10; i++) {
                double lambda = Math.pow(10, -2 + 4.0 * i / 9);
                x[i] -= lr * (lambda * x[i] + sigma * rng.nextGaussian());
            }
            for (int i = 0; i < 10; i++) {
                assertEquals(x[i], traj.get(t).get("x").get(i).asDouble(), 1e-14, "x_" + i + " at step " + t);
            }
        }
    }

    @Test
    void theSeedChangesOnlyNoisyRuns() throws Exception {
        String[] base = {"optimize", "--optimizer", "Adam", "--opt", "lr=0.05", "--function", "rosenbrock",
            "--steps", "5", "--json"};
        JsonNode exact1 = json(concat(base, "--seed", "1"));
        JsonNode exact2 = json(concat(base, "--seed", "2"));
        assertEquals(exact1.get("trajectory"), exact2.get("trajectory"));
        JsonNode noisy1 = json(concat(base, "--seed", "1", "--noise", "1"));
        JsonNode noisy1Again = json(concat(base, "--seed", "1", "--noise", "1"));
        JsonNode noisy2 = json(concat(base, "--seed", "2", "--noise", "1"));
        assertEquals(noisy1.get("trajectory"), noisy1Again.get("trajectory"));
        assertNotEquals(noisy1.get("trajectory"), noisy2.get("trajectory"));
        assertEquals(1.0, noisy1.get("noise").asDouble());
        assertEquals("--noise: expected a finite SIGMA >= 0, got -1.0",
                CommandRunner.usageError(concat(base, "--noise", "-1")));
    }

    @Test
    void outWritesTheTrajectoryThePlotAndTheRecord() throws Exception {
        Path dir = tmp.resolve("run");
        JsonNode printed = json("optimize", "--optimizer", "SGD", "--opt", "lr=0.01", "--function", "quadratic",
                "--steps", "7", "--seed", "4", "--noise", "0.1", "--json", "--out", dir.toString());
        assertEquals(printed, JSON.readTree(dir.resolve("trajectory.json").toFile()));
        List<String> csv = Files.readAllLines(dir.resolve("trajectory.csv"));
        assertEquals("step,loss,x0,x1,x2,x3,x4,x5,x6,x7,x8,x9", csv.get(0));
        assertEquals(9, csv.size());
        assertEquals(printed.get("trajectory").get(7).get("loss").asDouble(),
                Double.parseDouble(csv.get(8).split(",")[1]));
        assertTrue(Files.size(dir.resolve("loss.png")) > 1000);
        JsonNode run = JSON.readTree(dir.resolve("run.json").toFile());
        assertEquals(4, run.get("seed").asLong());
        assertTrue(Files.readString(dir.resolve("command.txt")).startsWith("descent optimize --optimizer SGD"));
    }

    @Test
    void optimizersOutWritesTheListingAndItsRecord() throws Exception {
        Path dir = tmp.resolve("list");
        Result r = CommandRunner.run("optimizers", "--out", dir.toString(), "--seed", "9");
        assertEquals(0, r.code(), r.err());
        assertEquals(OptimizersCommand.table(), Files.readString(dir.resolve("optimizers.txt")));
        assertTrue(r.out().startsWith(OptimizersCommand.table()), r.out());
        JsonNode listed = JSON.readTree(dir.resolve("optimizers.json").toFile());
        assertEquals(JSON.readTree(JSON.writeValueAsString(OptimizersCommand.rows())), listed);
        assertEquals(9, JSON.readTree(dir.resolve("run.json").toFile()).get("seed").asLong());
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
