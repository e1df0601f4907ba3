package dev.descent.analysis.spectrum;

import dev.descent.analysis.curvature.CurvatureOperator;
import dev.descent.analysis.curvature.DiagonalOperator;
import dev.descent.analysis.curvature.HessianOperator;
import dev.descent.analysis.curvature.LossFunction;
import dev.descent.analysis.curvature.TimedOperator;
import dev.descent.nn.Linear;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.DataLoader;
import dev.descent.tensor.Rng;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * How much of a Lanczos run is its own work (reorthogonalisation, bookkeeping) rather than Hessian-vector
 * products, at {@code m} steps (default 100) on the README's MLP 784-128-10 over the 8,000 bundled MNIST training
 * digits (batches of 1,000, FLOAT32 products). Measured two ways: the run's wall time minus the time inside the
 * operator ({@link TimedOperator}), and the same run on a diagonal operator of the same size, whose products cost
 * next to nothing, so that its whole time is Lanczos's own work. Prints wall and process CPU seconds. A measurement
 * to read, not a test; run its {@code main} with the test class path, e.g. with {@code -Ddescent.threads=2}.
 */
public final class LanczosOwnWorkTiming {
    private LanczosOwnWorkTiming() {
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Rng init = new Rng(0);
        Sequential model = new Sequential(new Linear(784, 128, init), new ReLU(), new Linear(128, 10, init));
        HessianOperator hessian = HessianOperator.builder(model, LossFunction.crossEntropyOnFlattened())
                .data(DataLoader.builder(Bundled.mnistTrain()).batchSize(1000).build()).build();
        // warm-up: compile the product and the basis loops before measuring
        new Lanczos(5).run(hessian, new Rng(9));
        new Lanczos(steps).run(new DiagonalOperator(ramp(hessian.size())), new Rng(9));

        TimedOperator timed = new TimedOperator(hessian);
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        LanczosResult result = new Lanczos(steps).run(timed, new Rng(1));
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpu() - cpu0) / 1e9;
        double products = timed.nanos() / 1e9;

        CurvatureOperator cheap = new DiagonalOperator(ramp(hessian.size()));
        long cpu1 = cpu();
        long t1 = System.nanoTime();
        new Lanczos(steps).run(cheap, new Rng(1));
        double ownWall = (System.nanoTime() - t1) / 1e9;
        double ownCpu = (cpu() - cpu1) / 1e9;

        System.out.printf(Locale.ROOT, "P = %d, m = %d (took %d), threads %s%n", hessian.size(), steps, result.steps(),
                System.getProperty("descent.threads", "default"));
        System.out.printf(Locale.ROOT, "Hessian run: wall %.2f s (products %.2f s, own work %.2f s = %.1f%%), process"
                + " CPU %.2f s%n", wall, products, wall - products, 100 * (wall - products) / wall, cpu);
        System.out.printf(Locale.ROOT, "same run on a diagonal operator (own work alone): wall %.2f s, CPU %.2f s;"
                + " as a share of the Hessian run: %.1f%% of its wall time%n", ownWall, ownCpu, 100 * ownWall / wall);
    }

    private static double[] ramp(int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = 1 + i / (double) n;
        }
        return d;
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
