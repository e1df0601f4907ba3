package dev.descent.analysis.curvature;

import static dev.descent.analysis.curvature.CurvatureFixtures.gaussian;
import static dev.descent.analysis.curvature.CurvatureFixtures.relativeError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.autograd.Variable;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.nn.Tanh;
import dev.descent.nn.data.Batch;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A FLOAT32 model's operator against the same model copied to FLOAT64, and the copy itself. */
class PrecisionTest {
    private static final Supplier<Sequential> ARCHITECTURE = () -> new Sequential(new Linear(8, 16, new Rng(60)),
            new Tanh(), new Linear(16, 5, new Rng(61)));

    private final Sequential model = ARCHITECTURE.get();
    private final Batch batch = new Batch(Tensor.randn(new Rng(62), 64, 8), Tensor.randint(new Rng(63), 0, 5, 64));

    @Test
    void aFloat64CopyHasTheSameValuesAndLeavesTheSourceAlone() {
        model.namedModules().get("2").eval();
        Sequential copy = ModelCopy.float64(model, ARCHITECTURE);
        assertEquals(DType.FLOAT32, model.parameters().get(0).dtype(), "Module.to would have converted in place");
        for (String name : model.namedParameters().keySet()) {
            Variable p = model.namedParameters().get(name);
            Variable q = copy.namedParameters().get(name);
            assertNotSame(p, q);
            assertEquals(DType.FLOAT64, q.dtype());
            assertArrayEquals(p.value().toDoubleArray(), q.value().toDoubleArray(), 0.0);
        }
        assertTrue(copy.isTraining());
        assertFalse(copy.namedModules().get("2").isTraining());
        assertThrows(IllegalArgumentException.class, () -> ModelCopy.float64(model, () -> model));
        assertThrows(IllegalArgumentException.class, () -> ModelCopy.float64(model,
                () -> new Sequential(new Linear(8, 3, new Rng(0)))));
    }

    @Test
    void theFloat32OperatorIsCloseToTheFloat64One() {
        Sequential copy = ModelCopy.float64(model, ARCHITECTURE);
        HessianOperator f32 = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(batch).build();
        HessianOperator f64 = HessianOperator.builder(copy, LossFunction.crossEntropy()).batch(batch).build();
        assertEquals(DType.FLOAT32, f32.dtype());
        assertEquals(DType.FLOAT64, f64.dtype());
        Rng rng = new Rng(64);
        for (int i = 0; i < 3; i++) {
            double[] v = gaussian(rng, f64.size());
            double[] exact = f64.apply(v);
            assertTrue(relativeError(f32.apply(v), exact) < 1e-5); // measured about 1.5e-7
        }
        assertTrue(relativeError(f32.gradient(), f64.gradient()) < 1e-5);
        assertEquals(f64.loss(), f32.loss(), 1e-6);
    }

    @Test
    void float32FiniteDifferencesWithTheDefaultStepAreAccurateToAFewDigits() {
        Sequential copy = ModelCopy.float64(model, ARCHITECTURE);
        HessianOperator fd32 = HessianOperator.builder(model, LossFunction.crossEntropy()).batch(batch)
                .finiteDifferences().build();
        HessianOperator f64 = HessianOperator.builder(copy, LossFunction.crossEntropy()).batch(batch).build();
        double[] v = gaussian(new Rng(65), f64.size());
        double error = relativeError(fd32.apply(v), f64.apply(v));
        assertTrue(error < 1e-3, "relative error " + error); // measured about 5e-5, HE1's 1e-5 to 1e-4
    }
}
