package dev.descent.examples.programs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.analysis.curvature.HessianOperator;
import dev.descent.analysis.curvature.LossFunction;
import dev.descent.analysis.curvature.ModelCopy;
import dev.descent.analysis.spectrum.PowerIteration;
import dev.descent.analysis.spectrum.PowerIterationResult;
import dev.descent.nn.Sequential;
import dev.descent.tensor.Rng;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tracking program's table, and its last λ_max against power iteration on a FLOAT64 copy of the trained model:
 * another algorithm, another precision, the same fixed batch.
 */
class HessianTrackingTest {
    @Test
    void printsTheTableAndItsLambdaMaxAgreesWithPowerIteration() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Sequential model = HessianTracking.run(20, ExampleArgs.parse(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), lines.toString());
        assertEquals(List.of("step", "loss", "lambda_max", "2/lr"), List.of(lines.get(0).trim().split("\\s+")));
        String[] last = lines.get(2).trim().split("\\s+");
        assertEquals("20", last[0]);
        assertEquals(2 / HessianTracking.LR, Double.parseDouble(last[3]), 1e-9);
        double printed = Double.parseDouble(last[2]);

        Sequential f64 = ModelCopy.float64(model, () -> HessianTracking.model(new Rng(0)));
        HessianOperator hessian = HessianOperator.builder(f64, LossFunction.crossEntropyOnFlattened())
                .batch(HessianTracking.fixedBatch()).build();
        PowerIterationResult power = new PowerIteration(100, 1e-5).compute(hessian, 1, new Rng(7));
        assertTrue(power.converged()[0], "power iteration converged in " + power.iterations()[0]);
        assertEquals(power.values()[0], printed, 1e-4 * power.values()[0]);
        assertEquals(Double.parseDouble(last[1]), hessian.loss(), 1e-4, "the loss on the fixed batch");
        // the loss fell from its start near ln 10
        assertTrue(Double.parseDouble(lines.get(1).trim().split("\\s+")[1]) > Double.parseDouble(last[1]));
    }
}
