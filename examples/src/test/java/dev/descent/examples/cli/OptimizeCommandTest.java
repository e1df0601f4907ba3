package dev.descent.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code descent optimize} and {@code descent optimizers} against closed forms, the JSON shape and bad input. */
class OptimizeCommandTest {
    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cl = DescentCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static JsonNode json(String... args) throws Exception {
        Result r = run(args);
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void sgdOnTheQuadraticIsTheClosedForm() throws Exception {
        double lr = 0.01;
        JsonNode doc = json("optimize", "--optimizer", "SGD", "--opt", "lr=0.01", "--function", "quadratic", "--steps",
                "50", "--json");
        JsonNode traj = doc.get("trajectory");
        assertEquals(51, traj.size());
        for (int t = 0; t <= 50; t++) {
            JsonNode p = traj.get(t);
            assertEquals(t, p.get("step").asInt());
            double loss = 0;
            for (int i = 0; i < 10; i++) {
                double lambda = Math.pow(10, -2 + 4.0 * i / 9);
                double expected = Math.pow(1 - lr * lambda, t);
                assertEquals(expected, p.get("x").get(i).asDouble(), 1e-13 * Math.max(1, Math.abs(expected)),
                        "x_" + i + " at step " + t);
                loss += 0.5 * lambda * expected * expected;
            }
            assertEquals(loss, p.get("loss").asDouble(), 1e-12 * loss);
        }
    }

    @Test
    void adamsFirstStepMovesEachCoordinateByLr() throws Exception {
        JsonNode traj = json("optimize", "--optimizer", "Adam", "--opt", "lr=0.1", "--function", "rosenbrock",
                "--steps", "1", "--json").get("trajectory");
        assertEquals(-1.5, traj.get(0).get("x").get(0).asDouble());
        assertEquals(2.0, traj.get(0).get("x").get(1).asDouble());
        assertEquals(12.5, traj.get(0).get("loss").asDouble());
        // gradient at (-1.5, 2): (-5 - 400(-1.5)(-0.25), 200(-0.25)) = (-155, -50): both move by +lr
        assertEquals(-1.4, traj.get(1).get("x").get(0).asDouble(), 1e-9);
        assertEquals(2.1, traj.get(1).get("x").get(1).asDouble(), 1e-9);
    }

    @Test
    void jsonHasEveryHyperparameterInForceInTheReferenceFormat() throws Exception {
        JsonNode doc = json("optimize", "--optimizer", "adam", "--opt", "betas=0.8,0.99", "--opt", "amsgrad=true",
                "--function", "quadratic", "--steps", "2", "--json");
        assertEquals("Adam", doc.get("optimizer").asText());
        assertEquals("quadratic", doc.get("function").asText());
        JsonNode h = doc.get("hyperparameters");
        assertEquals(0.001, h.get("lr").asDouble());
        assertEquals(0.8, h.get("betas").get(0).asDouble());
        assertEquals(0.99, h.get("betas").get(1).asDouble());
        assertEquals(1e-8, h.get("eps").asDouble());
        assertTrue(h.get("amsgrad").asBoolean());
        assertTrue(h.get("maximize").isBoolean());
        assertEquals(7, h.size());
        assertEquals(3, doc.get("trajectory").size());
        assertEquals(10, doc.get("trajectory").get(2).get("x").size());
        JsonNode hf = json("optimize", "--optimizer", "Adafactor", "--function", "quadratic", "--steps", "1", "--json");
        assertTrue(hf.get("hyperparameters").get("lr").isNull());
    }

    @Test
    void koalaRunsWithTheLossAndItsSquare() throws Exception {
        for (String name : new String[] {"KoalaV", "KoalaM"}) {
            JsonNode traj = json("optimize", "--optimizer", name, "--function", "quadratic", "--steps", "20", "--json")
                    .get("trajectory");
            assertEquals(21, traj.size());
            assertTrue(traj.get(20).get("loss").asDouble() < traj.get(0).get("loss").asDouble(), name);
        }
    }

    @Test
    void everyRegisteredOptimizerRuns() {
        for (String name : dev.descent.optim.Optimizers.names()) {
            if (name.endsWith("8bit")) {
                continue; // FLOAT32 only: refused with the optimizer's message, see badInputGetsAClearMessage
            }
            Result r = name.equals("PNM") || name.equals("LARS")
                    ? run("optimize", "--optimizer", name, "--opt", "lr=0.01", "--function", "rosenbrock", "--steps", "3")
                    : run("optimize", "--optimizer", name, "--function", "rosenbrock", "--steps", "3");
            assertEquals(0, r.code(), name + ": " + r.err());
            assertTrue(r.out().contains("     3  "), r.out());
        }
    }

    @Test
    void textOutputShowsTheSettingsAndEveryStep() {
        Result r = run("optimize", "--optimizer", "SGD", "--opt", "lr=0.1", "--function", "rosenbrock", "--steps", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("optimizer SGD: lr=0.1 momentum=0.0"), r.out());
        assertTrue(r.out().contains("     0  12.5"), r.out());
        assertTrue(r.out().contains("     2  "), r.out());
    }

    private static String error(String... args) {
        Result r = run(args);
        assertEquals(2, r.code(), r.out());
        return r.err().lines().findFirst().orElse("");
    }

    @Test
    void badInputGetsAClearMessage() {
        String unknown = error("optimize", "--optimizer", "Adamm", "--function", "quadratic", "--steps", "1");
        assertTrue(unknown.startsWith("unknown optimizer 'Adamm' (known: SGD, Adam,"), unknown);
        assertEquals("Adam: unknown hyperparameter 'momentum' (known: lr, betas, eps, weight_decay, amsgrad, maximize,"
                + " decoupled_weight_decay)", error("optimize", "--optimizer", "Adam", "--opt", "momentum=0.9",
                        "--function", "quadratic", "--steps", "1"));
        assertEquals("Adam: betas=0.9,1.5 is out of range: beta2 = 1.5 (allowed: 0 <= beta2 < 1)",
                error("optimize", "--optimizer", "Adam", "--opt", "betas=0.9,1.5", "--function", "quadratic", "--steps", "1"));
        assertEquals("--opt: expected KEY=VALUE, got 'lr'",
                error("optimize", "--optimizer", "Adam", "--opt", "lr", "--function", "quadratic", "--steps", "1"));
        assertEquals("--opt: lr given more than once", error("optimize", "--optimizer", "Adam", "--opt", "lr=1",
                "--opt", "lr=2", "--function", "quadratic", "--steps", "1"));
        assertEquals("--function: unknown function 'sphere' (known: rosenbrock, quadratic)",
                error("optimize", "--optimizer", "Adam", "--function", "sphere", "--steps", "1"));
        assertEquals("--steps: expected N >= 0, got -1",
                error("optimize", "--optimizer", "Adam", "--function", "quadratic", "--steps", "-1"));
        String lars = error("optimize", "--optimizer", "LARS", "--function", "quadratic", "--steps", "1");
        assertTrue(lars.startsWith("LARS: invalid lr NaN (expected a learning rate: lr is required)"), lars);
    }

    @Test
    void helpHasAWorkedExample() {
        Result r = run("optimize", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("descent optimize --optimizer Adam --opt lr=1e-2"), r.out());
        assertTrue(r.out().contains("rosenbrock") && r.out().contains("quadratic"), r.out());
    }

    @Test
    void optimizersListsEveryOneWithDefaultsAndReference() throws Exception {
        Result r = run("optimizers");
        assertEquals(0, r.code(), r.err());
        for (String name : dev.descent.optim.Optimizers.names()) {
            assertTrue(r.out().contains("\n" + name + " ") || r.out().startsWith(name + " "), name);
        }
        assertTrue(r.out().contains("lr=0.001 betas=0.9,0.999 eps=1e-08"), r.out());
        assertTrue(r.out().contains("pytorch/pytorch torch/optim/adam.py"), r.out());
        JsonNode rows = json("optimizers", "--json");
        assertEquals(dev.descent.optim.Optimizers.names().size(), rows.size());
        JsonNode adam = rows.get(1);
        assertEquals("Adam", adam.get("name").asText());
        assertEquals("betas", adam.get("hyperparameters").get(1).get("name").asText());
        assertEquals(0.999, adam.get("hyperparameters").get(1).get("default").get(1).asDouble());
        assertTrue(adam.get("reference").get("paper").asText().contains("Kingma"));
    }
}
