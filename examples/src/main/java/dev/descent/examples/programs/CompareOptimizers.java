package dev.descent.examples.programs;

import dev.descent.autograd.Variable;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.functional.F;
import dev.descent.nn.models.MLP;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Several optimizers of the registry on one task, each from the same initial weights and with the same batches in
 * the same order: an MLP on MNIST for one epoch. Prints final loss, test accuracy and optimizer-state memory.
 * Arguments: {@code [optimizer ...] [--seed S]}, registry names (default Adam, AdaBelief, RAdam, Adan and SGD with momentum).
 */
public final class CompareOptimizers {
    private CompareOptimizers() {
    }

    public static void main(String[] args) {
        ExampleArgs cli = ExampleArgs.parse(args);
        List<String> names = !cli.positional().isEmpty() ? cli.positional()
                : List.of("Adam", "AdaBelief", "RAdam", "Adan", "SGD");
        Map<String, Map<String, String>> settings = Map.of("SGD", Map.of("lr", "0.05", "momentum", "0.9"));
        TensorDataset train = Bundled.mnistTrain();
        TensorDataset test = Bundled.mnistTest();
        System.out.printf(Locale.ROOT, "%-12s %12s %14s %16s%n", "optimizer", "final loss", "test accuracy",
                "state B/param");
        for (String name : names) {
            Sequential model = MLP.builder(784, 128, 10).build(cli.rng(0)); // the same weights for every optimizer
            Optimizer opt = Optimizers.create(name, model.namedParameters(), settings.getOrDefault(name, Map.of()));
            DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(cli.rng(1)).build(); // same order
            double last = 0;
            for (Batch b : loader) {
                opt.zeroGrad();
                Variable loss = F.crossEntropy(model.forward(Variable.constant(b.inputs().reshape(-1, 784))),
                        b.targets());
                loss.backward();
                opt.step();
                last = loss.item();
            }
            long stateBytes = opt.stateBytes();
            System.out.printf(Locale.ROOT, "%-12s %12.4f %14.4f %16.2f%n", name, last,
                    MnistMlp.accuracy(model, test), (double) stateBytes / model.parameterCount());
        }
    }
}
