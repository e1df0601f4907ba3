package dev.descent.analysis.rmed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.analysis.curvature.LossFunction;
import dev.descent.analysis.report.StudyFolder;
import dev.descent.autograd.Autograd;
import dev.descent.autograd.Functional;
import dev.descent.autograd.Variable;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.nn.Tanh;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.TensorDataset;
import dev.descent.optim.Adam;
import dev.descent.optim.SGD;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study against an independent replay: plain SGD written on a flat parameter vector, over the same batches,
 * with the dense Hessian of the loss written out by hand (autograd's {@code Functional.hessian}).
 */
class RmedStudyTest {
    private static final int IN = 4;
    private static final int HIDDEN = 3;
    private static final int OUT = 3;
    private static final double LR = 0.5;

    @TempDir
    Path dir;

    private static final Supplier<Sequential> ARCHITECTURE = () -> {
        Rng rng = new Rng(11);
        Sequential s = new Sequential(new Linear(IN, HIDDEN, rng), new Tanh(), new Linear(HIDDEN, OUT, rng));
        s.to(DType.FLOAT64);
        return s;
    };

    @Test
    void sgdPointsEqualAReplayWithDenseHessians() throws Exception {
        TensorDataset data = new TensorDataset(Tensor.randn(new Rng(2), DType.FLOAT64, 20, IN),
                Tensor.randint(new Rng(3), 0, OUT, 20));
        DataLoader loader = DataLoader.builder(data).batchSize(4).shuffle(new Rng(5)).dropLast(true).build();
        Batch all = data.batch(range(20));
        RmedResult result = RmedStudy.builder(ARCHITECTURE, LossFunction.crossEntropy(), loader, List.of(all))
                .optimizer("SGD", p -> new SGD(p, LR)).optimizer("Adam", p -> new Adam(p, 0.05))
                .steps(7).every(3).build().run();
        assertEquals(List.of("0.weight", "2.weight"), result.layers());
        assertEquals(2 * 4 * 2, result.points().size());

        // the replay: θ = (W1, b1, W2, b2) flat, 7 SGD steps over epochs 0 and 1 of the same loader
        double[] theta = flatParameters(ARCHITECTURE.get());
        List<Batch> batches = new ArrayList<>();
        loader.epoch(0).forEach(batches::add);
        loader.epoch(1).forEach(batches::add);
        List<RmedPoint> sgd0 = result.series("SGD", "0.weight");
        List<RmedPoint> sgd2 = result.series("SGD", "2.weight");
        assertEquals(List.of(0L, 3L, 6L, 7L), sgd0.stream().map(RmedPoint::step).toList());
        int checkpoint = 0;
        for (int step = 0; step <= 7; step++) {
            if (step == 0 || step == 3 || step == 6 || step == 7) {
                double[] diag = diagonal(Functional.hessian(flatLoss(all), Tensor.of(theta, theta.length)), theta.length);
                Rmed first = Rmed.of(Arrays.copyOfRange(diag, 0, HIDDEN * IN));
                int w2 = HIDDEN * IN + HIDDEN;
                Rmed second = Rmed.of(Arrays.copyOfRange(diag, w2, w2 + OUT * HIDDEN));
                assertEquals(first.value(), sgd0.get(checkpoint).rmed().value(), 1e-9 * first.value(), "step " + step);
                assertEquals(second.value(), sgd2.get(checkpoint).rmed().value(), 1e-9 * second.value(), "step " + step);
                assertEquals(second.negativeFraction(), sgd2.get(checkpoint).rmed().negativeFraction());
                double loss = flatLoss(all).apply(Variable.constant(Tensor.of(theta, theta.length))).item();
                assertEquals(loss, sgd0.get(checkpoint).loss(), 1e-12);
                assertTrue(sgd0.get(checkpoint).exact());
                checkpoint++;
            }
            if (step < 7) {
                Variable flat = Variable.parameter(Tensor.of(theta, theta.length));
                double[] g = Autograd.grad(flatLoss(batches.get(step)).apply(flat), flat).value().toDoubleArray();
                for (int i = 0; i < theta.length; i++) {
                    theta[i] -= LR * g[i];
                }
            }
        }

        RmedPoint adamStart = result.series("Adam", "0.weight").get(0);
        assertEquals(sgd0.get(0).rmed(), adamStart.rmed(), "both start from the same initialisation");
        assertNotEquals(sgd0.get(3).rmed().value(), result.series("Adam", "0.weight").get(3).rmed().value());

        result.write(new StudyFolder(dir));
        assertEquals(1 + 16, Files.readAllLines(dir.resolve("rmed.csv")).size());
        assertTrue(Files.readString(dir.resolve("rmed.json")).contains("trajectory_geometric_mean"));
        assertEquals(800, ImageIO.read(dir.resolve("rmed.png").toFile()).getWidth());
    }

    @Test
    void rejectsAStudyWithoutOptimizersOrWithBadSteps() {
        TensorDataset data = new TensorDataset(Tensor.randn(new Rng(2), DType.FLOAT64, 8, IN),
                Tensor.randint(new Rng(3), 0, OUT, 8));
        DataLoader loader = DataLoader.builder(data).batchSize(4).build();
        List<Batch> curvature = List.of(data.batch(range(8)));
        assertThrows(IllegalArgumentException.class,
                () -> RmedStudy.builder(ARCHITECTURE, LossFunction.crossEntropy(), loader, curvature).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RmedStudy.builder(ARCHITECTURE, LossFunction.crossEntropy(), loader, curvature)
                        .optimizer("SGD", p -> new SGD(p, 0.1)).every(0).build());
        assertTrue(e.getMessage().contains("every 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RmedStudy.builder(ARCHITECTURE, LossFunction.crossEntropy(), loader, List.of()));
    }

    private static double[] flatParameters(Sequential model) {
        List<Double> values = new ArrayList<>();
        for (Variable p : model.parameters()) {
            for (double v : p.value().toDoubleArray()) {
                values.add(v);
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] diagonal(Tensor hessian, int n) {
        double[] flat = hessian.toDoubleArray();
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = flat[i * n + i];
        }
        return d;
    }

    /** The mean cross-entropy of the tanh MLP on a flat (W1, b1, W2, b2), written out as logsumexp minus the true logit. */
    private static Function<Variable, Variable> flatLoss(Batch batch) {
        Tensor onehot = batch.targets().oneHot(OUT).cast(DType.FLOAT64);
        return theta -> {
            Variable w1 = theta.narrow(0, 0, HIDDEN * IN).reshape(HIDDEN, IN);
            Variable b1 = theta.narrow(0, HIDDEN * IN, HIDDEN);
            Variable w2 = theta.narrow(0, HIDDEN * IN + HIDDEN, OUT * HIDDEN).reshape(OUT, HIDDEN);
            Variable b2 = theta.narrow(0, HIDDEN * IN + HIDDEN + OUT * HIDDEN, OUT);
            Variable h = Variable.constant(batch.inputs()).matmul(w1.t()).add(b1).tanh();
            Variable z = h.matmul(w2.t()).add(b2);
            return z.logsumexp(new int[] {1}, false).sub(z.mul(Variable.constant(onehot)).sum(1)).mean();
        };
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
