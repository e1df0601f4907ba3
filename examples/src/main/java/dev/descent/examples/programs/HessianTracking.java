package dev.descent.examples.programs;

import dev.descent.analysis.curvature.HessianOperator;
import dev.descent.analysis.curvature.LossFunction;
import dev.descent.analysis.spectrum.Eigenpairs;
import dev.descent.analysis.spectrum.Lanczos;
import dev.descent.analysis.spectrum.Which;
import dev.descent.autograd.Variable;
import dev.descent.nn.Linear;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.functional.F;
import dev.descent.optim.SGD;
import dev.descent.tensor.Rng;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A custom training loop that tracks the sharpness, the top eigenvalue of the loss Hessian: an MLP on MNIST trained
 * with plain SGD, and every 50 steps λ_max of the Hessian over a fixed batch of 1,000 training digits, by 20 steps
 * of Lanczos. Beside it, 2/lr: gradient descent on a quadratic with curvature λ diverges once λ &gt; 2/lr, and
 * Cohen et al. (ICLR 2021) found full-batch training to climb to that edge of stability and hover there. With this
 * learning rate λ_max rises to about 4.5 in 50 steps, just under 2/lr = 5, then drifts down to about 2 by step 500;
 * with lr = 0.1 it climbs to about 7. Arguments: {@code [steps] [--seed S]} (defaults 300 and 0).
 */
public final class HessianTracking {
    /** SGD's learning rate. */
    static final double LR = 0.4;
    /** Steps between measurements. */
    static final int EVERY = 50;
    /** Lanczos steps per measurement: the top eigenvalue of these Hessians converges in far fewer. */
    static final int LANCZOS_STEPS = 20;

    private HessianTracking() {
    }

    public static void main(String[] args) {
        ExampleArgs cli = ExampleArgs.parse(args);
        run(cli.intAt(0, 300), cli, System.out);
    }

    /** Trains for {@code steps} steps from the seed of {@code cli}, printing a table to {@code out}. */
    static Sequential run(int steps, ExampleArgs cli, PrintStream out) {
        Sequential model = model(cli.rng(0));
        SGD sgd = new SGD(model.namedParameters(), LR);
        TensorDataset train = Bundled.mnistTrain();
        DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(cli.rng(1)).dropLast(true).build();
        Batch fixed = fixedBatch();
        out.printf(Locale.ROOT, "%6s %10s %12s %8s%n", "step", "loss", "lambda_max", "2/lr");
        measure(model, fixed, 0, out);
        int step = 0;
        for (int epoch = 0; step < steps; epoch++) {
            for (Batch b : loader.epoch(epoch)) {
                model.train();
                sgd.zeroGrad();
                F.crossEntropy(model.forward(Variable.constant(b.inputs().flatten(1, 3))), b.targets()).backward();
                sgd.step();
                step++;
                if (step % EVERY == 0 || step == steps) {
                    measure(model, fixed, step, out);
                }
                if (step == steps) {
                    break;
                }
            }
        }
        return model;
    }

    /** The README's MLP, 784-128-10 with ReLU, drawn from {@code rng}. */
    static Sequential model(Rng rng) {
        return new Sequential(new Linear(784, 128, rng), new ReLU(), new Linear(128, 10, rng));
    }

    /** The first 1,000 training digits, the batch whose Hessian is tracked. */
    static Batch fixedBatch() {
        return Bundled.mnistTrain().subset(0, 1000).batch(java.util.stream.IntStream.range(0, 1000).toArray());
    }

    /** Prints the step, the loss on the fixed batch, λ_max of its Hessian and 2/lr. */
    private static void measure(Sequential model, Batch fixed, int step, PrintStream out) {
        HessianOperator hessian = HessianOperator.builder(model, LossFunction.crossEntropyOnFlattened())
                .batch(fixed).build();
        Eigenpairs top = new Lanczos(LANCZOS_STEPS).topK(hessian, 1, Which.LARGEST_ALGEBRAIC, false, new Rng(step));
        out.printf(Locale.ROOT, "%6d %10.5f %12.6f %8.2f%n", step, hessian.loss(), top.values()[0], 2 / LR);
    }
}
