package dev.descent.bench;

import dev.descent.autograd.Variable;
import dev.descent.nn.Conv2d;
import dev.descent.nn.Flatten;
import dev.descent.nn.Linear;
import dev.descent.nn.MaxPool2d;
import dev.descent.nn.NormPosition;
import dev.descent.nn.PositionalEncoding;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.TransformerLM;
import dev.descent.nn.functional.F;
import dev.descent.optim.Adam;
import dev.descent.optim.AdamW;
import dev.descent.optim.Optimizer;
import dev.descent.optim.SGD;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import dev.descent.tensor.Threads;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One training step of each training workload of {@code ../shared/bench/torch_ref.py}: zero the gradients,
 * forward, loss, backward, optimizer step, with the same shapes, batch sizes, optimizers and
 * hyperparameters, cycling 4 batches of random data generated once (as torch_ref.py does):
 *
 * <ul>
 *   <li>{@code mlp}: 784-512-512-10 ReLU MLP, batch 128, cross-entropy, Adam lr 1e-3;</li>
 *   <li>{@code cnn}: conv(1->32,3)-ReLU-maxpool2-conv(32->64,3)-ReLU-maxpool2-flatten-fc(1600->128)-ReLU-fc(128->10),
 *       batch 64 on 1x28x28, cross-entropy, SGD lr 0.01 momentum 0.9;</li>
 *   <li>{@code transformer}: a {@link TransformerLM} with vocabulary 256, d_model 128, 4 heads, 4 Pre-LN
 *       layers, feed-forward 512, no dropout, causal, learned positions, untied head, on batches of 32
 *       sequences of 64 tokens; cross-entropy over the flattened logits [2048, 256]; AdamW lr 3e-4 (weight
 *       decay 0.01, torch's default).</li>
 * </ul>
 *
 * <p>Where the transformer differs from torch_ref.py's {@code LM}: a Pre-LN {@code TransformerLM} has a final
 * LayerNorm before the head (torch_ref.py's {@code nn.TransformerEncoder} is built without one: one more
 * LayerNorm over [32, 64, 128] per step here, 256 more parameters); the causal mask is the layers' causal
 * flag rather than an additive -inf [64, 64] matrix; the learned positions start N(0, 1) rather than at
 * zero (no effect on speed). {@code bench/torch_steps.py} times the same steps in PyTorch. Each method
 * returns the loss so that nothing is optimised away. Each trial's set-up runs 10 steps before JMH's own
 * warm-up, since a transformer step takes about 1 s until the JIT has compiled the kernels.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StepBenchmark {
    private static final int BATCHES = 4;
    /**
     * Steps taken in each trial's set-up, before JMH's warm-up: with run.sh's 3 x 1 s of warm-up the
     * transformer (about 1 s per step while the JIT is still compiling) would otherwise be measured half warm.
     */
    private static final int PRE_WARM_STEPS = 10;

    /** A model, its optimizer and 4 (input, target) batches, cycled. */
    abstract static class Workload {
        Optimizer optimizer;
        final Variable[] inputs = new Variable[BATCHES];
        final Tensor[] targets = new Tensor[BATCHES];
        private int next;

        abstract Variable logits(int batch);

        /** Runs {@link #PRE_WARM_STEPS} steps (the end of each set-up). */
        final void preWarm() {
            for (int i = 0; i < PRE_WARM_STEPS; i++) {
                step();
            }
        }

        /** Zero grads + forward + loss + backward + optimizer step on the next batch; returns the loss. */
        final Variable step() {
            int b = next;
            next = (next + 1) % BATCHES;
            optimizer.zeroGrad();
            Variable loss = F.crossEntropy(logits(b), targets[b]);
            loss.backward();
            optimizer.step();
            return loss;
        }
    }

    @State(Scope.Benchmark)
    public static class Mlp extends Workload {
        @Param({"1", "2"})
        public int threads;

        private Sequential model;

        @Setup(Level.Trial)
        public void setUp() {
            Threads.set(threads);
            Rng rng = new Rng(0);
            model = new Sequential(new Linear(784, 512, rng), new ReLU(), new Linear(512, 512, rng), new ReLU(),
                    new Linear(512, 10, rng));
            optimizer = new Adam(model.namedParameters(), 1e-3);
            for (int i = 0; i < BATCHES; i++) {
                inputs[i] = Variable.constant(Tensor.randn(rng, 128, 784));
                targets[i] = Tensor.randint(rng, 0, 10, 128);
            }
            preWarm();
        }

        @Override
        Variable logits(int batch) {
            return model.forward(inputs[batch]);
        }
    }

    @State(Scope.Benchmark)
    public static class Cnn extends Workload {
        @Param({"1", "2"})
        public int threads;

        private Sequential model;

        @Setup(Level.Trial)
        public void setUp() {
            Threads.set(threads);
            Rng rng = new Rng(1);
            model = new Sequential(new Conv2d(1, 32, 3, rng), new ReLU(), new MaxPool2d(2),
                    new Conv2d(32, 64, 3, rng), new ReLU(), new MaxPool2d(2), new Flatten(),
                    new Linear(64 * 5 * 5, 128, rng), new ReLU(), new Linear(128, 10, rng));
            optimizer = new SGD(model.namedParameters(), 0.01, 0.9);
            for (int i = 0; i < BATCHES; i++) {
                inputs[i] = Variable.constant(Tensor.randn(rng, 64, 1, 28, 28));
                targets[i] = Tensor.randint(rng, 0, 10, 64);
            }
            preWarm();
        }

        @Override
        Variable logits(int batch) {
            return model.forward(inputs[batch]);
        }
    }

    @State(Scope.Benchmark)
    public static class Lm extends Workload {
        static final int VOCAB = 256;
        static final int SEQ = 64;
        static final int BATCH = 32;

        @Param({"1", "2"})
        public int threads;

        private TransformerLM model;
        private final Tensor[] tokens = new Tensor[BATCHES];

        @Setup(Level.Trial)
        public void setUp() {
            Threads.set(threads);
            Rng rng = new Rng(2);
            model = new TransformerLM(TransformerLM.Config.builder(VOCAB, SEQ, 128, 4, 4)
                    .dimFeedforward(512)
                    .dropout(0)
                    .normPosition(NormPosition.PRE)
                    .positions(PositionalEncoding.Kind.LEARNED)
                    .tieWeights(false)
                    .build(), rng);
            optimizer = new AdamW(model.namedParameters(), 3e-4);
            for (int i = 0; i < BATCHES; i++) {
                tokens[i] = Tensor.randint(rng, 0, VOCAB, BATCH, SEQ);
                targets[i] = Tensor.randint(rng, 0, VOCAB, BATCH, SEQ).reshape(BATCH * SEQ);
            }
            preWarm();
        }

        @Override
        Variable logits(int batch) {
            return model.forward(tokens[batch]).reshape(BATCH * SEQ, VOCAB);
        }
    }

    @Benchmark
    public Variable mlp(Mlp w) {
        return w.step();
    }

    @Benchmark
    public Variable cnn(Cnn w) {
        return w.step();
    }

    @Benchmark
    public Variable transformer(Lm w) {
        return w.step();
    }
}
