package dev.descent.examples;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.nn.Linear;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.functional.F;
import dev.descent.nn.metrics.Accuracy;
import dev.descent.optim.Adam;
import dev.descent.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's "Training in Java" snippet as written there, then the test accuracy it reaches. */
class ReadmeTrainingTest {
    @Test
    void theReadmeTrainingLoopLearnsMnist() {
        Rng rng = new Rng(42);
        // --- as in the README
        Sequential model = new Sequential(new Linear(784, 128, rng), new ReLU(), new Linear(128, 10, rng));
        Adam adam = new Adam(model.namedParameters(), 1e-3);       // state keyed by parameter name
        DataLoader loader = DataLoader.builder(Bundled.mnistTrain()).batchSize(64).shuffle(new Rng(1)).build();
        for (Batch b : loader) {                                    // one epoch of the bundled MNIST 8k
            adam.zeroGrad();
            Variable loss = F.crossEntropy(model.forward(Variable.constant(b.inputs().flatten(1, 3))), b.targets());
            loss.backward();
            adam.step();
        }
        // --- one epoch of Adam on 8000 digits gets well past 85% on the 2000 test digits
        TensorDataset test = Bundled.mnistTest();
        try (Autograd.Scope scope = Autograd.noGrad()) {
            Batch all = test.batch(java.util.stream.IntStream.range(0, test.size()).toArray());
            Variable logits = model.forward(Variable.constant(all.inputs().flatten(1, 3)));
            double accuracy = Accuracy.of(logits.value(), all.targets());
            assertTrue(accuracy > 0.85, "test accuracy " + accuracy);
        }
        assertTrue(model.toString().startsWith("Sequential(\n  (0): Linear(in_features=784, out_features=128"));
    }
}
