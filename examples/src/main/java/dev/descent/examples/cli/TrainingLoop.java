package dev.descent.examples.cli;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.examples.cli.DataSpecs.Data;
import dev.descent.nn.Layer;
import dev.descent.nn.Module;
import dev.descent.nn.TransformerLM;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.functional.F;
import dev.descent.nn.metrics.Accuracy;
import dev.descent.optim.Koala;
import dev.descent.optim.Optimizer;
import dev.descent.optim.schedule.Scheduler;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.util.Arrays;

/**
 * The training loop that {@code descent train} and {@code descent compare} share: epoch-wise shuffled batches
 * (dropping the last partial one) in an order fixed by the seed alone, so that runs with different optimizers
 * see the same data in the same order and a resumed run continues exactly where it stopped.
 */
final class TrainingLoop {
    /** Called after every optimizer step. */
    interface StepListener {
        void onStep(long step, long epoch, double loss, double accuracy, double lr) throws IOException;
    }

    private final Module net;
    private final Data data;
    private final Optimizer optimizer;
    private final Scheduler scheduler;
    private final int batchSize;
    private final DataLoader loader;

    TrainingLoop(Module net, Data data, Optimizer optimizer, Scheduler scheduler, int batchSize, long seed) {
        this.net = net;
        this.data = data;
        this.optimizer = optimizer;
        this.scheduler = scheduler;
        this.batchSize = batchSize;
        this.loader = DataLoader.builder(data.dataset()).batchSize(batchSize).shuffle(new Rng(seed ^ 0x5DEECE66DL))
                .dropLast(true).build();
    }

    /** Optimizer steps in one epoch. */
    long stepsPerEpoch() {
        return data.size() / batchSize;
    }

    /** Runs steps {@code start + 1} to {@code total}, in training mode. */
    void run(long start, long total, StepListener listener) throws IOException {
        long perEpoch = stepsPerEpoch();
        net.train();
        int[] order = null;
        long orderEpoch = -1;
        for (long s = start; s < total; s++) {
            long epoch = s / perEpoch;
            int pos = (int) (s % perEpoch);
            if (epoch != orderEpoch) {
                order = loader.order((int) epoch);
                orderEpoch = epoch;
            }
            Batch b = data.batches().apply(Arrays.copyOfRange(order, pos * batchSize, (pos + 1) * batchSize));
            double[] lossAcc = step(b);
            double lr = optimizer.paramGroups().get(0).get("lr");
            if (scheduler != null) {
                scheduler.step();
            }
            listener.onStep(s + 1, epoch, lossAcc[0], lossAcc[1], lr);
        }
    }

    /** One optimizer step on batch {@code b}; returns its loss and batch accuracy. */
    private double[] step(Batch b) {
        double[] lossAcc = new double[2];
        optimizer.zeroGrad();
        if (optimizer instanceof Koala koala) {
            koala.step(() -> {
                double f = forward(b, lossAcc, true);
                return new Koala.Loss(f, f * f);
            });
        } else {
            forward(b, lossAcc, true);
            optimizer.step();
        }
        return lossAcc;
    }

    /** The mean loss and accuracy of the model on {@code b}, in evaluation mode, without a graph. */
    double[] evaluate(Batch b) {
        boolean training = net.isTraining();
        net.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            double[] lossAcc = new double[2];
            forward(b, lossAcc, false);
            return lossAcc;
        } finally {
            net.train(training);
        }
    }

    /** Forward and loss (and backward when asked); puts the loss and the accuracy in {@code lossAcc}. */
    private double forward(Batch b, double[] lossAcc, boolean backward) {
        Variable logits;
        Tensor targets = b.targets();
        if (data.language()) {
            logits = ((TransformerLM) net).forward(b.inputs());
            int v = logits.size(2);
            logits = logits.reshape(-1, v);
            targets = targets.reshape(-1);
        } else {
            logits = ((Layer) net).forward(Variable.constant(b.inputs()));
        }
        Variable loss = F.crossEntropy(logits, targets);
        if (backward) {
            loss.backward();
        }
        lossAcc[0] = loss.item();
        lossAcc[1] = Accuracy.of(logits.value(), targets);
        return lossAcc[0];
    }
}
