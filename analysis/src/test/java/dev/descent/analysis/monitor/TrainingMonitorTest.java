package dev.descent.analysis.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.analysis.report.StudyFolder;
import dev.descent.autograd.Variable;
import dev.descent.nn.Dropout;
import dev.descent.nn.Linear;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Batch;
import dev.descent.optim.Optimizer;
import dev.descent.optim.SGD;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real training run (noisy linear regression, dropout on the inputs, SGD on mini-batches of 16, 100 steps) with
 * every monitored quantity recomputed by the test from its own record of the run.
 */
class TrainingMonitorTest {
    private static final int N = 80;
    private static final int D = 5;
    private static final int STEPS = 100;
    private static final int EVERY = 5;
    private static final int FULL_EVERY = 10;
    private static final int W_DISPLACEMENT = 12;
    private static final int W_LOSS = 20;

    @TempDir
    Path dir;

    @Test
    void everyQuantityMatchesADirectComputation() throws Exception {
        Rng rng = new Rng(8);
        Tensor x = Tensor.randn(rng, N, D);
        Tensor y = x.matmul(Tensor.of(new float[] {1, -2, 0.5f, 3, -1}).reshape(D, 1)).add(Tensor.randn(rng, N, 1));
        Linear linear = new Linear(D, 1, rng);
        Sequential model = new Sequential(new Dropout(0.2, rng), linear);
        Optimizer sgd = new SGD(model.namedParameters(), 0.05);
        List<Batch> fixed = List.of(new Batch(x.narrow(0, 0, 32), y.narrow(0, 0, 32)),
                new Batch(x.narrow(0, 32, 32), y.narrow(0, 32, 32)), new Batch(x.narrow(0, 64, 16), y.narrow(0, 64, 16)));
        TrainingMonitor monitor = TrainingMonitor.builder().every(EVERY)
                .fullGradient(fixed, FullBatchGradientTest.MSE, FULL_EVERY).displacementWindow(W_DISPLACEMENT)
                .lossChangeWindow(W_LOSS).histogramBins(8).build();

        double[][] xs = new double[N][];
        for (int i = 0; i < N; i++) {
            xs[i] = x.select(0, i).toDoubleArray();
        }
        double[] ys = y.reshape(N).toDoubleArray();
        double[] losses = new double[STEPS + 1];
        double[] gradNorms = new double[STEPS + 1];
        double[][] thetas = new double[STEPS + 1][];
        Rng order = new Rng(1);
        int rows = 0;
        for (int step = 1; step <= STEPS; step++) {
            Tensor idx = Tensor.of(Arrays.copyOf(Tensor.randperm(order, N).toLongArray(), 16));
            Batch b = new Batch(x.indexSelect(0, idx), y.indexSelect(0, idx));
            sgd.zeroGrad();
            Variable loss = FullBatchGradientTest.MSE.loss(model, b);
            loss.backward();
            sgd.step();
            losses[step] = loss.item();
            gradNorms[step] = norm(concat(linear.weight().grad().toDoubleArray(), linear.bias().grad().toDoubleArray()));
            thetas[step] = concat(linear.weight().value().toDoubleArray(), linear.bias().value().toDoubleArray());
            float[] gradBefore = linear.weight().grad().toFloatArray();

            MonitorRow row = monitor.observe(step, losses[step], model);

            assertTrue(model.isTraining() && model.get(0).isTraining(), "training flags restored");
            assertArrayEquals(gradBefore, linear.weight().grad().toFloatArray(), ".grad untouched");
            assertTrue(monitor.snapshotsHeld() <= (W_DISPLACEMENT + EVERY - 1) / EVERY + 1, "ring size");
            if (step % EVERY != 0) {
                assertNull(row);
                continue;
            }
            rows++;
            check(row, step, losses, gradNorms, thetas, xs, ys);
        }
        assertEquals(STEPS / EVERY, rows);
        assertEquals(rows, monitor.rows().size());
        writesTheRunFolder(monitor);
    }

    private static void check(MonitorRow row, int step, double[] losses, double[] gradNorms, double[][] thetas,
            double[][] xs, double[] ys) {
        String at = "step " + step;
        assertEquals(step, row.step());
        assertEquals(losses[step], row.loss(), 0);
        double[] window = Arrays.copyOfRange(losses, step - EVERY + 1, step + 1);
        assertEquals(mean(window), row.lossMean(), 1e-12, at);
        double[] g = Arrays.copyOfRange(gradNorms, step - EVERY + 1, step + 1);
        double m = mean(g);
        assertEquals(m, row.stochasticGradNormMean(), 1e-9, at);
        assertEquals(Arrays.stream(g).map(v -> (v - m) * (v - m)).sum() / (EVERY - 1), row.stochasticGradNormVar(),
                1e-9, at);
        double[] theta = thetas[step];
        assertEquals(norm(theta), row.weightNorm(), 1e-6, at);
        assertEquals(norm(Arrays.copyOf(theta, D)), row.weightNorms().get("1.weight"), 1e-6, at);
        assertEquals(Math.abs(theta[D]), row.weightNorms().get("1.bias"), 1e-6, at);
        if (step - W_DISPLACEMENT >= 1) {
            double[] then = thetas[step - W_DISPLACEMENT];
            double[] d = new double[theta.length];
            for (int k = 0; k < d.length; k++) {
                d[k] = theta[k] - then[k];
            }
            assertEquals(norm(d), row.displacement(), 1e-6, at);
        } else {
            assertTrue(Double.isNaN(row.displacement()), at);
        }
        if (step % FULL_EVERY == 0) {
            double[] expected = FullBatchGradientTest.closedFormGradient(Arrays.copyOf(theta, D), theta[D], xs, ys);
            assertEquals(norm(expected), row.fullGradNorm(), 1e-5 * Math.max(1, norm(expected)), at);
            assertTrue(row.fullLoss() > 0);
        } else {
            assertTrue(Double.isNaN(row.fullGradNorm()) && Double.isNaN(row.fullLoss()), at);
        }
        // ΔL_t = L_t − L_{t−1} exists from t = 2: the current window is ΔL over (t−W, t], the previous over the W before
        if (step - 1 >= W_LOSS) {
            double[] current = changes(losses, step - W_LOSS + 1, step);
            assertEquals(mean(current), row.lossChangeMean(), 1e-12, at);
            assertEquals(W_LOSS, row.histogram().total());
            assertEquals(Arrays.stream(current).min().orElseThrow(), row.histogram().lo(), 0);
            assertEquals(Arrays.stream(current).max().orElseThrow(), row.histogram().hi(), 0);
            if (step - 1 >= 2 * W_LOSS) {
                double[] previous = changes(losses, step - 2 * W_LOSS + 1, step - W_LOSS);
                assertEquals(bruteKs(current, previous), row.ks(), 1e-15, at);
                assertEquals(equalSizeW1(current, previous), row.w1(), 1e-12, at);
            } else {
                assertTrue(Double.isNaN(row.ks()) && Double.isNaN(row.w1()), at);
            }
        } else {
            assertNull(row.histogram(), at);
            assertTrue(Double.isNaN(row.lossChangeMean()), at);
        }
    }

    private void writesTheRunFolder(TrainingMonitor monitor) throws Exception {
        monitor.write(new StudyFolder(dir));
        List<String> csv = Files.readAllLines(dir.resolve("monitor.csv"));
        assertEquals("step,loss,loss_mean,full_loss,full_grad_norm,sgrad_norm_mean,sgrad_norm_var,weight_norm,"
                + "displacement,loss_change_mean,ks,w1,weight_norm.1.weight,weight_norm.1.bias", csv.get(0));
        assertEquals(1 + STEPS / EVERY, csv.size());
        long histogramRows = monitor.rows().stream().filter(r -> r.histogram() != null).count();
        assertEquals(1 + 8 * histogramRows, Files.readAllLines(dir.resolve("loss_change_histograms.csv")).size());
        for (String png : new String[] {"loss.png", "grad_norm.png", "weight_norms.png", "displacement.png",
            "window_distance.png", "loss_change_histograms.png"}) {
            BufferedImage image = ImageIO.read(dir.resolve(png).toFile());
            assertEquals(800, image.getWidth(), png);
        }
    }

    private static double[] changes(double[] losses, int from, int to) {
        double[] out = new double[to - from + 1];
        for (int t = from; t <= to; t++) {
            out[t - from] = losses[t] - losses[t - 1];
        }
        return out;
    }

    private static double bruteKs(double[] a, double[] b) {
        double sup = 0;
        for (double[] s : new double[][] {a, b}) {
            for (double v : s) {
                double fa = Arrays.stream(a).filter(z -> z <= v).count() / (double) a.length;
                double fb = Arrays.stream(b).filter(z -> z <= v).count() / (double) b.length;
                sup = Math.max(sup, Math.abs(fa - fb));
            }
        }
        return sup;
    }

    /** For samples of equal size, W1 is the mean distance between order statistics. */
    private static double equalSizeW1(double[] a, double[] b) {
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += Math.abs(x[i] - y[i]);
        }
        return s / x.length;
    }

    private static double mean(double[] x) {
        return Arrays.stream(x).average().orElseThrow();
    }

    private static double norm(double[] x) {
        return Math.sqrt(Arrays.stream(x).map(v -> v * v).sum());
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void badUseIsRejected() {
        Sequential model = new Sequential(new Linear(2, 1, new Rng(0)));
        TrainingMonitor monitor = TrainingMonitor.builder().every(2).build();
        monitor.observe(3, 1.0, model);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> monitor.observe(3, 1.0, model));
        assertTrue(e.getMessage().contains("step 3 after step 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> monitor.observe(4, 1.0, new Sequential(new Linear(2, 1, new Rng(0)), new Linear(1, 1, new Rng(0)))));
        e = assertThrows(IllegalArgumentException.class, () -> TrainingMonitor.builder().every(4)
                .fullGradient(List.of(new Batch(Tensor.zeros(1, 2), Tensor.zeros(1, 1))), FullBatchGradientTest.MSE, 6)
                .build());
        assertTrue(e.getMessage().contains("6") && e.getMessage().contains("4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingMonitor.builder().lossChangeWindow(0));
    }
}
