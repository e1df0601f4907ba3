package dev.descent.analysis.curvature;

import dev.descent.nn.Linear;
import dev.descent.nn.ReLU;
import dev.descent.nn.Sequential;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.TensorDataset;
import dev.descent.tensor.Rng;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Times one Hessian-vector product over the 8,000 bundled MNIST training digits against one gradient over the
 * same data, for the README's MLP 784-128-10 (ReLU), in FLOAT32 and FLOAT64, with batches of 1,000 and 8,000,
 * recomputing the gradient graph per product or keeping it. A measurement to read, not a test (no timing is
 * asserted anywhere); run its {@code main} with the test class path, e.g. with {@code -Ddescent.threads=2}.
 * Prints the median of several runs after warm-up, in milliseconds, and the heap the kept graphs hold.
 */
public final class MnistHvpTiming {
    private static final int RUNS = 5;

    private MnistHvpTiming() {
    }

    public static void main(String[] args) {
        TensorDataset data = Bundled.mnistTrain();
        Supplier<Sequential> architecture = () -> {
            Rng rng = new Rng(0);
            return new Sequential(new Linear(784, 128, rng), new ReLU(), new Linear(128, 10, rng));
        };
        Sequential f32 = architecture.get();
        Sequential f64 = ModelCopy.float64(f32, architecture);
        System.out.println("dtype    batch  gradient  hvp(recompute)  hvp(kept graph)  first kept  fd-hvp"
                + "  hvp/grad  kept MiB");
        for (Sequential model : new Sequential[] {f32, f64}) {
            for (int batch : new int[] {1000, 8000}) {
                DataLoader loader = DataLoader.builder(data).batchSize(batch).build();
                measure(model, loader, batch);
            }
        }
    }

    private static void measure(Sequential model, DataLoader loader, int batch) {
        LossFunction loss = LossFunction.crossEntropyOnFlattened();
        HessianOperator fresh = HessianOperator.builder(model, loss).data(loader).build();
        HessianOperator kept = HessianOperator.builder(model, loss).data(loader).reuseGraph(true).build();
        HessianOperator fd = HessianOperator.builder(model, loss).data(loader).finiteDifferences().build();
        double[] v = CurvatureFixtures.gaussian(new Rng(1), fresh.size());
        double gradient = median(fresh::gradient);
        double recompute = median(() -> fresh.apply(v));
        long before = usedHeap();
        long t0 = System.nanoTime();
        kept.apply(v);
        double first = (System.nanoTime() - t0) / 1e6;
        double keptMiB = (usedHeap() - before) / (1024.0 * 1024.0);
        double reuse = median(() -> kept.apply(v));
        kept.release();
        double finite = median(() -> fd.apply(v));
        System.out.println(String.format(Locale.ROOT, "%-8s %5d  %8.1f  %14.1f  %15.1f  %10.1f  %6.1f  %8.2f  %8.1f",
                fresh.dtype(), batch, gradient, recompute, reuse, first, finite, recompute / gradient, keptMiB));
    }

    private static double median(Runnable r) {
        r.run();
        r.run();
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[RUNS / 2];
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
