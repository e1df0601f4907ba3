package dev.descent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.descent.examples.cli.CommandRunner.Result;
import dev.descent.examples.programs.HessianTracking;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code descent example}: the list, and arguments a program cannot use, which are usage errors, not crashes. */
class ExampleCommandTest {
    @Test
    void withoutANameItListsEveryProgramWithItsArguments() {
        Result r = CommandRunner.run("example");
        assertEquals(0, r.code(), r.err());
        assertEquals(ExampleCommand.PROGRAMS.size(), r.out().lines().count());
        assertTrue(r.out().contains("  gradinit-post-ln     GradInit for a Post-LN Transformer without warmup; args:"
                + " [steps [gradinit-iterations]]"), r.out());
    }

    @Test
    void anArgumentThatIsNotANumberIsAUsageError() {
        assertEquals("example mnist-mlp abc: expected a whole number, got \"abc\" (an MLP on MNIST with Adam; args:"
                + " [epochs])", CommandRunner.usageError("example", "mnist-mlp", "abc"));
        assertEquals("example gradinit-post-ln 10 x: expected a whole number, got \"x\" (GradInit for a Post-LN"
                + " Transformer without warmup; args: [steps [gradinit-iterations]])",
                CommandRunner.usageError("example", "gradinit-post-ln", "10", "x"));
    }

    @Test
    void anUnknownOptimizerIsAUsageErrorThatNamesIt() {
        String err = CommandRunner.usageError("example", "compare-optimizers", "Nope");
        assertTrue(err.startsWith("example compare-optimizers Nope: unknown optimizer 'Nope' (known: SGD, Adam,"), err);
    }

    @Test
    void anUnknownExampleIsAUsageError() {
        assertTrue(CommandRunner.usageError("example", "nope").startsWith("example: unknown example 'nope' (known:"
                + " mnist-mlp, "));
    }

    @Test
    void theSeedReachesTheProgramAndJsonAndOutKeepItsOutput(@TempDir Path tmp) throws Exception {
        // 0 steps: the table's header and the measurement at step 0, whose loss depends on the initial weights
        Result seed0 = CommandRunner.run("example", "hessian-tracking", "0", "--json", "--out", tmp.toString());
        assertEquals(0, seed0.code(), seed0.err());
        JsonNode doc = new ObjectMapper().readTree(seed0.out());
        assertEquals("hessian-tracking", doc.get("example").asText());
        assertEquals(0, doc.get("seed").asLong());
        List<String> lines = new ArrayList<>();
        doc.get("output").forEach(n -> lines.add(n.asText()));
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(lines, direct("0"), "the command runs the program's main with seed 0 by default");
        assertEquals(String.join("\n", lines) + "\n", Files.readString(tmp.resolve("output.txt")));
        assertEquals(0, new ObjectMapper().readTree(tmp.resolve("run.json").toFile()).get("seed").asLong());

        Result seed1 = CommandRunner.run("example", "--seed", "1", "hessian-tracking", "0", "--json");
        List<String> lines1 = new ArrayList<>();
        new ObjectMapper().readTree(seed1.out()).get("output").forEach(n -> lines1.add(n.asText()));
        assertEquals(direct("0", "--seed", "1"), lines1);
        assertNotEquals(lines.get(1), lines1.get(1), "another seed, other initial weights, another loss");
    }

    /** The lines that the program's main prints when called directly. */
    private static List<String> direct(String... args) {
        PrintStream before = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            HessianTracking.main(args);
        } finally {
            System.setOut(before);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
