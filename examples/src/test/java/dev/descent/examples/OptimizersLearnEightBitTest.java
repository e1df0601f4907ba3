package dev.descent.examples;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.functional.F;
import dev.descent.optim.Adam;
import dev.descent.optim.Optimizer;
import dev.descent.optim.eightbit.Adam8bit;
import dev.descent.optim.eightbit.EightBitOptimizer;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5, Tests (8-bit): Adam8bit's final loss on the MNIST MLP (784-64-10: the first weight, 50,176 elements,
 * has 8-bit state) is within 1% of 32-bit Adam's after the same seeded steps, and its measured optimizer-state
 * memory (bytes of the {@link Optimizer#stateTensors()} storages, the 8-bit codes counted as stored) is at most
 * 2.1 bytes per parameter with 8-bit state, against 8 for 32-bit Adam.
 */
class OptimizersLearnEightBitTest {
    static final int STEPS = 120;

    static List<Batch> batches;
    static TensorDataset test;

    @BeforeAll
    static void load() {
        DataLoader loader = DataLoader.builder(Bundled.mnistTrain()).batchSize(64).shuffle(new Rng(1)).build();
        batches = new ArrayList<>();
        for (Batch b : loader) {
            batches.add(b);
            if (batches.size() == STEPS) {
                break;
            }
        }
        assertEquals(STEPS, batches.size());
        test = Bundled.mnistTest();
    }

    /** The final loss: mean cross-entropy of the trained model on the 2,000 bundled test digits. */
    static double finalLoss(Sequential model) {
        try (Autograd.Scope scope = Autograd.noGrad()) {
            Batch all = test.batch(IntStream.range(0, test.size()).toArray());
            return F.crossEntropy(model.forward(Variable.constant(all.inputs().flatten(1, 3))), all.targets()).item();
        }
    }

    /** Bytes of the storages of the state tensors of the parameters named {@code params} (keys {@code <param>.<buffer>}). */
    static long stateBytes(Optimizer optimizer, List<String> params) {
        long bytes = 0;
        for (Map.Entry<String, Tensor> e : optimizer.stateTensors().entrySet()) {
            String key = e.getKey();
            if (params.stream().anyMatch(p -> key.startsWith(p + "."))) {
                bytes += (long) e.getValue().storage().size() * e.getValue().storage().dtype().byteSize();
            }
        }
        return bytes;
    }

    static long numel(Map<String, Variable> params, List<String> names) {
        return names.stream().mapToLong(n -> params.get(n).value().numel()).sum();
    }

    @Test
    void adam8bitTrainsTheMnistMlpAsAdamWithAQuarterOfTheStateMemory() {
        Sequential m32 = OptimizersLearnTest.model(42);
        Sequential m8 = OptimizersLearnTest.model(42);
        Adam adam = new Adam(m32.namedParameters(), 1e-3);
        Adam8bit adam8 = new Adam8bit(m8.namedParameters(), 1e-3);
        double[] l32 = OptimizersLearnTest.train(m32, adam, batches);
        double[] l8 = OptimizersLearnTest.train(m8, adam8, batches);
        double f32 = finalLoss(m32);
        double f8 = finalLoss(m8);

        Map<String, Variable> params8 = m8.namedParameters();
        List<String> eightBit = params8.keySet().stream()
                .filter(n -> adam8.isEightBit(adam8.paramGroups().get(0), params8.get(n))).toList();
        List<String> all = List.copyOf(m32.namedParameters().keySet());
        double perParam8 = (double) stateBytes(adam8, eightBit) / numel(params8, eightBit);
        double perParam8Large32 = (double) stateBytes(adam, eightBit) / numel(params8, eightBit);
        double perParam32 = (double) stateBytes(adam, all) / numel(m32.namedParameters(), all);
        String report = String.format("final test loss Adam %.5f, Adam8bit %.5f (rel. diff %.4f%%); last-10 train loss"
                + " Adam %.4f, Adam8bit %.4f; state bytes/param for the 8-bit parameters %s: Adam8bit %.4f, Adam %.4f;"
                + " Adam over all parameters %.4f", f32, f8, 100 * Math.abs(f8 - f32) / f32,
                OptimizersLearnTest.mean(l32, STEPS - 10, STEPS), OptimizersLearnTest.mean(l8, STEPS - 10, STEPS),
                eightBit, perParam8, perParam8Large32, perParam32);
        System.out.println("OptimizersLearnEightBitTest " + report);

        // the run trained, and a weight matrix carries 8-bit state
        assertTrue(f32 < 0.75 * Math.log(10), report);
        assertTrue(eightBit.contains("0.weight"), report);
        assertTrue(numel(params8, eightBit) >= EightBitOptimizer.MIN_8BIT_SIZE, report);
        // Adam8bit's final loss within 1% of Adam's
        assertTrue(Math.abs(f8 - f32) <= 0.01 * f32, report);
        // state memory: at most 2.1 bytes per parameter with 8-bit state, against 8 for 32-bit Adam
        assertTrue(perParam8 <= 2.1, report);
        assertEquals(8.0, perParam8Large32, 1e-9, report);
        assertEquals(8.0, perParam32, 1e-9, report);
    }
}
