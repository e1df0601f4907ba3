package dev.descent.nn;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.nn.io.Checkpoint;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A run saved after N steps and resumed into freshly built objects for M more steps ends with the same
 * parameters, bit for bit, as a run of N + M steps that was never interrupted: the checkpoint carries the
 * weights, the optimizer's momentum buffers, the schedule's position and the generators of data order and
 * dropout masks.
 */
class CheckpointResumeTest {
    private static final int N = 7;
    private static final int M = 6;
    private static final int BATCH = 8;

    @TempDir
    Path dir;

    /** torch.optim.SGD with momentum (no dampening, no Nesterov): buf = momentum * buf + g; p -= lr * buf. */
    static final class SgdMomentum {
        private final Map<String, Variable> parameters;
        private final double momentum;
        double lr;
        private final Map<String, Tensor> buffers = new LinkedHashMap<>();

        SgdMomentum(Map<String, Variable> parameters, double lr, double momentum) {
            this.parameters = parameters;
            this.lr = lr;
            this.momentum = momentum;
        }

        void step() {
            try (Autograd.Scope scope = Autograd.noGrad()) {
                parameters.forEach((name, p) -> {
                    Tensor buf = buffers.get(name);
                    buf = buf == null ? p.grad().clone() : buf.mul_(momentum).add_(p.grad());
                    buffers.put(name, buf);
                    p.value().add_(buf, -lr);
                });
            }
        }

        Checkpoint.State state() {
            return new Checkpoint.State(buffers, Map.of("lr", lr, "momentum", momentum));
        }

        void load(Checkpoint.State state) {
            lr = (Double) state.scalars().get("lr");
            buffers.clear();
            state.tensors().forEach((name, t) -> buffers.put(name, t.clone()));
        }
    }

    /** Step decay: lr = base * gamma^(step / every). */
    static final class StepDecay {
        private final double base;
        private long step;

        StepDecay(double base) {
            this.base = base;
        }

        double next() {
            return base * Math.pow(0.5, step++ / 4);
        }

        Checkpoint.State state() {
            return new Checkpoint.State(Map.of(), Map.of("step", step));
        }

        void load(Checkpoint.State state) {
            step = (Long) state.scalars().get("step");
        }
    }

    /** Everything one run owns. */
    static final class Run {
        final Rng data;
        final Rng dropout;
        final Sequential model;
        final SgdMomentum sgd;
        final StepDecay schedule = new StepDecay(0.05);
        long step;

        Run(long seed) {
            Rng init = new Rng(seed);
            data = new Rng(seed + 1);
            dropout = new Rng(seed + 2);
            model = new Sequential(new Linear(4, 16, init), new ReLU(), new Dropout(0.2, dropout), new Linear(16, 1, init));
            sgd = new SgdMomentum(model.namedParameters(), 0, 0.9);
        }

        void train(int steps, Tensor x, Tensor y) {
            for (int i = 0; i < steps; i++, step++) {
                Tensor index = Tensor.randint(data, 0, x.size(0), BATCH);
                Variable out = model.forward(Variable.constant(x.indexSelect(0, index)));
                // mean squared error, written out so that the test depends on nothing but the layers
                Variable loss = out.sub(Variable.constant(y.indexSelect(0, index))).square().mean();
                model.zeroGrad();
                loss.backward();
                sgd.lr = schedule.next();
                sgd.step();
            }
        }

        Checkpoint checkpoint() {
            return Checkpoint.builder().step(step).model(model).optimizer(sgd.state()).schedule(schedule.state())
                    .rng("data", data).rng("dropout", dropout).metadata("test", "resume").build();
        }

        void resume(Checkpoint c, boolean withMomentum) {
            c.restoreModel(model);
            if (withMomentum) {
                sgd.load(c.optimizer());
            }
            schedule.load(c.schedule());
            c.restoreRng("data", data);
            c.restoreRng("dropout", dropout);
            step = c.step();
        }

        float[][] parameters() {
            return model.parameters().stream().map(p -> p.value().toFloatArray()).toArray(float[][]::new);
        }
    }

    private static final Tensor X = Tensor.randn(new Rng(100), 64, 4);
    private static final Tensor Y = X.sum(new int[] {1}, true).sin().add(Tensor.randn(new Rng(101), 64, 1).mul(0.1));

    @Test
    void aResumedRunEqualsTheUninterruptedOneBitForBit() throws IOException {
        Run uninterrupted = new Run(1);
        uninterrupted.train(N + M, X, Y);

        Run first = new Run(1);
        first.train(N, X, Y);
        Path file = dir.resolve("step-" + N + ".safetensors");
        first.checkpoint().save(file);

        Run resumed = new Run(50);
        resumed.resume(Checkpoint.load(file), true);
        assertEquals(N, resumed.step);
        resumed.train(M, X, Y);

        float[][] expected = uninterrupted.parameters();
        float[][] actual = resumed.parameters();
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], "parameter " + i);
        }
    }

    @Test
    void theTestNoticesAResumeThatDropsTheMomentum() throws IOException {
        Run uninterrupted = new Run(1);
        uninterrupted.train(N + M, X, Y);
        Run first = new Run(1);
        first.train(N, X, Y);
        Path file = dir.resolve("ckpt.safetensors");
        first.checkpoint().save(file);

        Run resumed = new Run(50);
        resumed.resume(Checkpoint.load(file), false);
        resumed.train(M, X, Y);
        assertFalse(java.util.Arrays.deepEquals(uninterrupted.parameters(), resumed.parameters()),
                "without the momentum buffers the resumed run must differ, or the resume test proves nothing");
    }
}
