package dev.descent.examples.programs;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.functional.F;
import dev.descent.nn.metrics.Accuracy;
import dev.descent.nn.models.MLP;
import dev.descent.optim.Adam;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.Rng;
import java.util.Locale;

/**
 * A multilayer perceptron on the bundled MNIST digits (8,000 for training, 2,000 held out), trained with Adam:
 * the smallest complete training program. Arguments: {@code [epochs] [--seed S]} (defaults 3 and 0).
 */
public final class MnistMlp {
    private MnistMlp() {
    }

    public static void main(String[] args) {
        ExampleArgs cli = ExampleArgs.parse(args);
        int epochs = cli.intAt(0, 3);
        Rng rng = cli.rng(0);
        Sequential model = MLP.builder(784, 256, 10).build(rng);
        Optimizer adam = new Adam(model.namedParameters(), 1e-3);
        DataLoader train = DataLoader.builder(Bundled.mnistTrain()).batchSize(64).shuffle(cli.rng(1)).build();
        TensorDataset test = Bundled.mnistTest();

        for (int epoch = 1; epoch <= epochs; epoch++) {
            double sum = 0;
            int batches = 0;
            model.train();
            for (Batch b : train) {
                adam.zeroGrad();
                Variable loss = F.crossEntropy(model.forward(Variable.constant(b.inputs().reshape(-1, 784))), b.targets());
                loss.backward();
                adam.step();
                sum += loss.item();
                batches++;
            }
            System.out.printf(Locale.ROOT, "epoch %d: training loss %.4f, test accuracy %.4f%n", epoch,
                    sum / batches, accuracy(model, test));
        }
    }

    /** The accuracy on every example of {@code data}, in evaluation mode and without a graph. */
    static double accuracy(Sequential model, TensorDataset data) {
        model.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            return Accuracy.of(model.forward(Variable.constant(data.inputs().reshape(-1, 784))), data.targets());
        }
    }
}
