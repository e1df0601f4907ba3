package dev.descent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code descent radam-variance}: the run folder, the numbers against the closed forms, a real run, bad input. */
class RadamVarianceCommandTest {
    private record Result(int code, String out, String err) {
    }

    @TempDir
    Path tmp;

    private static Result run(String... args) {
        CommandLine cl = new CommandLine(new RadamVarianceCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static double rho(double beta2, int t) {
        double b2t = Math.pow(beta2, t);
        return 2 / (1 - beta2) - 1 - 2 * t * b2t / (1 - b2t);
    }

    @Test
    void simulationAndARealRunFillTheRunFolder() throws Exception {
        Path dir = tmp.resolve("run");
        Result r = run("--beta2", "0.99", "--mu", "0,10", "--trials", "600", "--steps", "200", "--seed", "2",
                "--run", "25", "--hidden", "16", "--out", dir.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(199, doc.get("rho_infinity").asDouble(), 1e-9);
        assertEquals(dir.toString(), doc.get("run_folder").asText());
        JsonNode table = doc.get("table");
        assertEquals(2 * 4, table.size(), "t = 1, 2, 10, 100 for two mus");
        for (JsonNode row : table) {
            int t = row.get("t").asInt();
            assertEquals(rho(0.99, t), row.get("rho_t").asDouble(), 1e-9);
            if (t >= 10) {
                double rt = row.get("r_t").asDouble();
                assertEquals(rt * rt * row.get("var_psi").asDouble(), row.get("var_rect_psi").asDouble(), 1e-15);
            } else {
                assertTrue(row.get("r_t").isNull(), "r_" + t + " undefined");
            }
            if (row.get("mu").asDouble() == 0 && t == 100) {
                double approx = rho(0.99, t) / (2 * (rho(0.99, t) - 2) * (rho(0.99, t) - 4));
                assertEquals(approx, row.get("var_psi").asDouble(), 0.25 * approx);
            }
            if (row.get("mu").asDouble() == 10 && t == 100) {
                assertTrue(row.get("var_psi").asDouble() < 1e-5, row.toString());
            }
        }
        List<String> csv = Files.readAllLines(dir.resolve("variance.csv"));
        assertEquals("mu,t,rho_t,r_t,mean_psi,var_psi,var_psi_stderr,var_rect_psi,approx_var_psi", csv.get(0));
        assertEquals(1 + 2 * 200, csv.size());
        assertTrue(Files.readString(dir.resolve("command.txt")).startsWith("descent radam-variance --beta2 0.99"));

        JsonNode runRows = doc.get("run");
        assertEquals(List.of(1L, 10L, 25L), List.of(runRows.get(0).get("step").asLong(),
                runRows.get(1).get("step").asLong(), runRows.get(2).get("step").asLong()));
        assertTrue(runRows.get(0).get("r_t").isNull(), "r_1 undefined");
        assertEquals(rho(0.99, 25), runRows.get(2).get("rho_t").asDouble(), 1e-9);
        List<String> lr = Files.readAllLines(dir.resolve("adaptive_lr.csv"));
        assertEquals(26, lr.size());
        long params = 784 * 16 + 16 + 16 * 10 + 10;
        for (int t = 1; t <= 25; t++) {
            String[] f = lr.get(t).split(",");
            assertEquals(t, Long.parseLong(f[0]));
            assertEquals(rho(0.99, t), Double.parseDouble(f[1]), 1e-9);
            assertEquals(params, Long.parseLong(f[3]) + Long.parseLong(f[4]));
            assertTrue(Long.parseLong(f[4]) > 0, "MNIST's always-blank border pixels give weights with v = 0");
            double q05 = Double.parseDouble(f[9]);
            double median = Double.parseDouble(f[11]);
            double q95 = Double.parseDouble(f[13]);
            assertTrue(q05 <= median && median <= q95, lr.get(t));
        }
        for (String png : new String[] {"variance.png", "rectified_variance.png", "adaptive_lr_quantiles.png",
            "adaptive_lr_variance.png"}) {
            BufferedImage image = ImageIO.read(dir.resolve(png).toFile());
            assertEquals(800, image.getWidth(), png);
        }
    }

    @Test
    void sameSeedSameNumbers() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, run("--mu", "0.1", "--trials", "50", "--steps", "30", "--out", a.toString()).code());
        Result r = run("--mu", "0.1", "--trials", "50", "--steps", "30", "--out", b.toString());
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Var[psi_30]") && r.out().contains(b.toString()), r.out());
        assertEquals(Files.readString(a.resolve("variance.csv")), Files.readString(b.resolve("variance.csv")));
    }

    @Test
    void badInputIsAUsageError() {
        Result trials = run("--trials", "1", "--steps", "10", "--out", tmp.resolve("x").toString());
        assertEquals(2, trials.code());
        assertTrue(trials.err().contains("trials 1"), trials.err());
        Result beta = run("--beta2", "1.5", "--out", tmp.resolve("y").toString());
        assertEquals(2, beta.code());
        assertTrue(beta.err().contains("beta2") && beta.err().contains("1.5"), beta.err());
        assertEquals(2, run("--run", "-3").code());
    }
}
