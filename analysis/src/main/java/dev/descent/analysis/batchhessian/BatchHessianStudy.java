package dev.descent.analysis.batchhessian;

import dev.descent.analysis.curvature.CurvatureMode;
import dev.descent.analysis.curvature.HessianOperator;
import dev.descent.analysis.curvature.LossFunction;
import dev.descent.analysis.spectrum.Eigenpairs;
import dev.descent.analysis.spectrum.Lanczos;
import dev.descent.analysis.spectrum.Which;
import dev.descent.nn.Module;
import dev.descent.nn.data.Batch;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Batch against full Hessian (Granziol, Zohren and Roberts, JMLR 2022): the top eigenvalue of the Hessian of
 * the mean loss over random batches of B examples, for several B with several batches each, beside the top
 * eigenvalue of the Hessian over the whole data. Random-matrix theory predicts that batch Hessians' extremal
 * eigenvalues exceed the full one's by an amount that shrinks roughly like 1/B.
 *
 * <pre>{@code
 * BatchHessianResult r = BatchHessianStudy.builder(model, LossFunction.crossEntropy(), data::batch, data.size())
 *         .batchSizes(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024).batchesPerSize(10).lanczosSteps(30)
 *         .build().run();
 * }</pre>
 *
 * <p>Each batch is drawn without replacement, batches independently of each other, from one generator seeded
 * by {@link Builder#seed}; Lanczos start vectors come from a second one. The full-data operator reads the data
 * in chunks of {@link Builder#chunk} examples, each weighted by its size, so it is the Hessian of the mean
 * over all examples. Every operator runs in {@link CurvatureMode#EVAL} at the model's current parameters, in
 * their dtype.
 */
public final class BatchHessianStudy {
    private final Builder b;

    private BatchHessianStudy(Builder b) {
        this.b = b;
    }

    /** Starts a study of {@code model}'s {@code loss} on the data whose batch of given example indices {@code examples} returns. */
    public static Builder builder(Module model, LossFunction loss, Function<int[], Batch> examples, int size) {
        return new Builder(model, loss, examples, size);
    }

    /** The number of Lanczos runs {@link #run()} makes: one per batch, and one over the full data. */
    public int runs() {
        return b.batchSizes.length * b.batchesPerSize + 1;
    }

    /** Runs the study: batch sizes in the order given, then the full data. */
    public BatchHessianResult run() {
        Rng draws = new Rng(b.seed);
        Rng starts = new Rng(b.seed + 1);
        Lanczos lanczos = new Lanczos(b.lanczosSteps);
        List<BatchTop> tops = new ArrayList<>();
        int done = 0;
        for (int size : b.batchSizes) {
            double[] values = new double[b.batchesPerSize];
            double[] residuals = new double[b.batchesPerSize];
            for (int r = 0; r < b.batchesPerSize; r++) {
                int[] indices = Arrays.copyOf(permutation(draws), size);
                Eigenpairs top = top(lanczos, List.of(b.examples.apply(indices)), starts);
                values[r] = top.values()[0];
                residuals[r] = top.residuals()[0];
                b.progress.accept(++done);
            }
            tops.add(new BatchTop(size, values, residuals));
        }
        List<Batch> chunks = new ArrayList<>();
        for (int from = 0; from < b.size; from += b.chunk) {
            int to = Math.min(b.size, from + b.chunk);
            int[] indices = new int[to - from];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = from + i;
            }
            chunks.add(b.examples.apply(indices));
        }
        Eigenpairs full = top(lanczos, chunks, starts);
        b.progress.accept(++done);
        return new BatchHessianResult(full.values()[0], full.residuals()[0], b.size, b.lanczosSteps, tops);
    }

    private Eigenpairs top(Lanczos lanczos, List<Batch> batches, Rng starts) {
        HessianOperator op = HessianOperator.builder(b.model, b.loss).batches(batches).build();
        return Eigenpairs.select(lanczos.run(op, starts), 1, Which.LARGEST_ALGEBRAIC);
    }

    private int[] permutation(Rng rng) {
        long[] perm = Tensor.randperm(rng, b.size).toLongArray();
        int[] out = new int[perm.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) perm[i];
        }
        return out;
    }

    /** The options of a study. */
    public static final class Builder {
        private final Module model;
        private final LossFunction loss;
        private final Function<int[], Batch> examples;
        private final int size;
        private int[] batchSizes = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
        private int batchesPerSize = 10;
        private int lanczosSteps = 30;
        private int chunk = 1000;
        private long seed;
        private IntConsumer progress = done -> { };

        private Builder(Module model, LossFunction loss, Function<int[], Batch> examples, int size) {
            if (model == null || loss == null || examples == null || size < 1) {
                throw new IllegalArgumentException("BatchHessianStudy: need a model, a loss, an example source and at"
                        + " least one example, got size " + size);
            }
            this.model = model;
            this.loss = loss;
            this.examples = examples;
            this.size = size;
        }

        /** The batch sizes B (default 1, 2, 4, ..., 1024, Granziol et al.'s). */
        public Builder batchSizes(int... sizes) {
            this.batchSizes = sizes.clone();
            return this;
        }

        /** The random batches per size (default 10, their {@code subsample_seed 0..9}). */
        public Builder batchesPerSize(int count) {
            this.batchesPerSize = count;
            return this;
        }

        /** The Lanczos steps of every run (default 30; Granziol et al. use 100 for whole spectra). */
        public Builder lanczosSteps(int steps) {
            this.lanczosSteps = steps;
            return this;
        }

        /** The examples per forward pass of the full-data operator (default 1,000); it does not change the result. */
        public Builder chunk(int examples) {
            this.chunk = examples;
            return this;
        }

        /** The seed of the batch draws and start vectors (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Called after each Lanczos run with the number of runs done (progress; {@link #runs()} in all). */
        public Builder progress(IntConsumer listener) {
            this.progress = listener;
            return this;
        }

        /**
         * The study.
         *
         * @throws IllegalArgumentException if no batch size is given, a batch size is not in {@code 1..size},
         *     or the batch count, steps or chunk is below 1
         */
        public BatchHessianStudy build() {
            if (batchSizes.length == 0 || batchesPerSize < 1 || lanczosSteps < 1 || chunk < 1) {
                throw new IllegalArgumentException("BatchHessianStudy: need batch sizes, and batchesPerSize, "
                        + "lanczosSteps and chunk >= 1, got " + Arrays.toString(batchSizes) + ", " + batchesPerSize
                        + ", " + lanczosSteps + ", " + chunk);
            }
            for (int s : batchSizes) {
                if (s < 1 || s > size) {
                    throw new IllegalArgumentException("BatchHessianStudy: batch size " + s + " is outside 1.." + size
                            + " (the data's examples)");
                }
            }
            return new BatchHessianStudy(this);
        }
    }
}
