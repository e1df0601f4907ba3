package dev.descent.examples.programs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every example program runs as the README says (shortened by its arguments) and prints what it claims. */
class ExampleProgramsTest {
    private static List<String> run(Consumer<String[]> main, String... args) {
        PrintStream before = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            main.accept(args);
        } finally {
            System.setOut(before);
        }
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static double lastNumber(String line) {
        String[] words = line.trim().split("\\s+");
        return Double.parseDouble(words[words.length - 1]);
    }

    @Test
    void theMlpLearnsMnistInOneEpoch() {
        List<String> out = run(MnistMlp::main, "1");
        assertEquals(1, out.size(), out.toString());
        assertTrue(lastNumber(out.get(0)) > 0.88, out.get(0));
    }

    @Test
    void theCnnTrainsAndReportsTestAccuracy() {
        List<String> out = run(MnistCnn::main, "50");
        assertTrue(out.get(0).startsWith("Sequential("), out.get(0));
        assertTrue(out.get(out.size() - 2).startsWith("step 50: loss "), out.toString());
        assertTrue(lastNumber(out.get(out.size() - 1)) > 0.6, out.get(out.size() - 1)); // 0.831 measured
    }

    @Test
    void theCharacterModelsLossFallsAndItSamplesText() {
        List<String> out = run(CharTransformer::main, "50", "8");
        // the mean loss of the first 50 steps is already well below a uniform guess over 65 characters (ln 65 = 4.17)
        assertTrue(out.get(1).startsWith("steps 1-50: mean loss "), out.toString());
        assertTrue(Double.parseDouble(out.get(1).split("\\s+")[4]) < Math.log(65) - 0.8, out.toString());
        int separator = out.indexOf("---");
        assertTrue(String.join("\n", out.subList(separator + 1, out.size())).length() >= 206, out.toString());
    }

    @Test
    void theComparisonPrintsOneRowPerOptimizer() {
        List<String> out = run(CompareOptimizers::main, "SGD", "Adam");
        assertEquals(3, out.size(), out.toString());
        assertTrue(out.get(1).startsWith("SGD") && out.get(2).startsWith("Adam"), out.toString());
        assertEquals(8.0, lastNumber(out.get(2)), 1e-12, "Adam keeps two float32 moments per parameter");
        assertEquals(4.0, lastNumber(out.get(1)), 1e-12, "SGD with momentum keeps one buffer");
    }

    @Test
    void gradInitPrintsItsScalesAndBothRuns() {
        List<String> out = run(GradInitPostLn::main, "25", "10");
        assertEquals("GradInit scales (per tensor):", out.get(0));
        assertTrue(out.stream().anyMatch(l -> l.trim().startsWith("layers.0.linear2.weight")), out.toString());
        String last = out.get(out.size() - 1);
        assertTrue(last.trim().startsWith("25 "), last);
    }
}
