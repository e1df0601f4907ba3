package dev.descent.tensor;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * toString against PyTorch's own repr (fixtures/format.txt, made by fixtures/make_format_fixture.py).
 * Descent appends the shape and dtype where PyTorch appends only a non-default dtype; the values part
 * must match character for character.
 */
class FormatTest {
    static final Set<String> COVERS = Set.of("toString");

    record Case(DType dtype, int[] shape, double[] values, String torch) {
    }

    private static List<Case> cases() throws Exception {
        List<Case> cases = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                Objects.requireNonNull(FormatTest.class.getResourceAsStream("/fixtures/format.txt")), StandardCharsets.UTF_8))) {
            String header;
            while ((header = r.readLine()) != null) {
                String[] f = header.split("\\|", -1);
                StringBuilder repr = new StringBuilder();
                for (String line = r.readLine(); !line.equals("====="); line = r.readLine()) {
                    repr.append(repr.length() > 0 ? "\n" : "").append(line);
                }
                int[] shape = f[1].isEmpty() ? new int[0] : Arrays.stream(f[1].split(",")).mapToInt(Integer::parseInt).toArray();
                double[] values = f[2].isEmpty() ? new double[0]
                        : Arrays.stream(f[2].split(",")).mapToDouble(FormatTest::parse).toArray();
                DType dtype = switch (f[0]) {
                    case "float32" -> DType.FLOAT32;
                    case "float64" -> DType.FLOAT64;
                    case "int64" -> DType.INT64;
                    default -> DType.BOOL;
                };
                cases.add(new Case(dtype, shape, values, repr.toString()));
            }
        }
        return cases;
    }

    private static double parse(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    @Test
    void valuesPrintAsPyTorchPrintsThem() throws Exception {
        List<Case> cases = cases();
        assertEquals(14, cases.size());
        List<String> mismatches = new ArrayList<>();
        for (Case c : cases) {
            Tensor t = Tensor.of(c.values, c.shape).cast(c.dtype);
            String ours = t.toString();
            String suffix = ", shape=" + t.shape() + ", dtype=" + c.dtype.displayName() + ")";
            assertTrue(ours.endsWith(suffix), ours);
            String oursValues = ours.substring(0, ours.length() - suffix.length()) + ")";
            String torchValues = c.torch.replaceFirst(",\\s*dtype=torch\\.\\w+\\)$", ")")
                    .replaceFirst(", size=\\(.*\\)\\)$", ")");
            if (!oursValues.equals(torchValues)) {
                mismatches.add("torch:\n" + torchValues + "\nours:\n" + oursValues);
            }
        }
        assertTrue(mismatches.isEmpty(), String.join("\n\n", mismatches));
    }
}
