package dev.descent.examples.programs;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Flatten;
import dev.descent.nn.Linear;
import dev.descent.nn.MaxPool2d;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.functional.F;
import dev.descent.nn.metrics.Accuracy;
import dev.descent.optim.Optimizer;
import dev.descent.optim.ParamGroup;
import dev.descent.optim.SGD;
import dev.descent.optim.schedule.Schedules;
import dev.descent.optim.schedule.Scheduler;
import dev.descent.tensor.Rng;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small convolutional network (the {@code cnn} workload of the benchmarks) on the bundled MNIST digits, with SGD,
 * Nesterov momentum and a cosine learning-rate schedule. Arguments: {@code [steps] [--seed S]} (defaults 500 and 0).
 */
public final class MnistCnn {
    private MnistCnn() {
    }

    public static void main(String[] args) {
        ExampleArgs cli = ExampleArgs.parse(args);
        int steps = cli.intAt(0, 500);
        Rng rng = cli.rng(0);
        Sequential model = new Sequential(
                new Conv2d(1, 32, 3, rng), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, rng), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(1600, 128, rng), new ReLU(), new Linear(128, 10, rng));
        System.out.println(model);
        Optimizer sgd = new SGD(List.of(new ParamGroup(model.namedParameters(),
                Map.of("lr", 0.05, "momentum", 0.9, "nesterov", 1.0))));
        Scheduler cosine = new Scheduler(sgd, Schedules.cosine(steps, 0));
        DataLoader train = DataLoader.builder(Bundled.mnistTrain()).batchSize(64).shuffle(cli.rng(1)).build();

        int step = 0;
        while (step < steps) {
            for (Batch b : train) {
                sgd.zeroGrad();
                Variable loss = F.crossEntropy(model.forward(Variable.constant(b.inputs())), b.targets());
                loss.backward();
                sgd.step();
                cosine.step();
                if (++step % 100 == 0 || step == steps) {
                    System.out.printf(Locale.ROOT, "step %d: loss %.4f%n", step, loss.item());
                }
                if (step == steps) {
                    break;
                }
            }
        }
        TensorDataset test = Bundled.mnistTest();
        model.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            double acc = Accuracy.of(model.forward(Variable.constant(test.inputs())), test.targets());
            System.out.printf(Locale.ROOT, "test accuracy %.4f%n", acc);
        }
    }
}
