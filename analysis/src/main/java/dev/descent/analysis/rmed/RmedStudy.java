package dev.descent.analysis.rmed;

import dev.descent.analysis.curvature.HessianOperator;
import dev.descent.analysis.curvature.LossFunction;
import dev.descent.analysis.curvature.ModelCopy;
import dev.descent.analysis.curvature.ParameterBlock;
import dev.descent.autograd.Variable;
import dev.descent.nn.Module;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.DataLoader;
import dev.descent.optim.Optimizer;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * R_med along training (Jiang, Malik and Li, NeurIPS 2023): each optimizer trains a copy of one initial model on
 * the same batches in the same order, and every {@code every} steps (and at step 0) the Hessian diagonal of
 * each layer's weight matrix over a fixed set of curvature batches gives that layer's {@link Rmed}. The
 * paper's claim is that Adam's trajectories have a smaller R_med than SGD's.
 *
 * <pre>{@code
 * RmedResult result = RmedStudy.builder(() -> MLP.builder(64, 32, 10).build(new Rng(0)),
 *                 LossFunction.crossEntropy(), loader, List.of(curvatureBatch))
 *         .optimizer("SGD", p -> new SGD(p, 0.1))
 *         .optimizer("Adam", p -> new Adam(p, 1e-3))
 *         .steps(300).every(25).build().run();
 * }</pre>
 *
 * <p>The diagonal is the Hessian's with respect to one layer at a time, whose diagonal entries are those of
 * the whole model's Hessian. Curvature runs in evaluation mode ({@link HessianOperator}), in FLOAT64 by default
 * on a copy of the model (the trained model keeps its dtype). Probes are drawn from one generator per run,
 * seeded alike, so both optimizers' estimates use the same probes.
 */
public final class RmedStudy {
    private final Builder b;

    private RmedStudy(Builder b) {
        this.b = b;
    }

    /**
     * Starts a study: {@code architecture} builds the model (called again for each copy; the first model it
     * builds is the shared initialisation), {@code loss} is both the training and the curvature loss,
     * {@code training} gives the batches (epoch 0, then 1, ...), {@code curvature} the fixed batches of the
     * Hessian.
     */
    public static Builder builder(Supplier<? extends Module> architecture, LossFunction loss, DataLoader training,
            List<Batch> curvature) {
        return new Builder(architecture, loss, training, curvature);
    }

    /** Runs every optimizer in turn and returns the points in order (optimizer, step, layer). */
    public RmedResult run() {
        Module initial = b.architecture.get();
        List<String> layers = b.layers != null ? b.layers : weightMatrices(initial);
        List<RmedPoint> points = new ArrayList<>();
        for (Map.Entry<String, Function<Map<String, Variable>, Optimizer>> e : b.optimizers.entrySet()) {
            Module model = ModelCopy.inDtype(initial, b.architecture, dtypeOf(initial));
            Optimizer optimizer = e.getValue().apply(model.namedParameters());
            Rng probes = new Rng(b.seed);
            record(e.getKey(), 0, model, layers, probes, points);
            long step = 0;
            for (int epoch = 0; step < b.steps; epoch++) {
                for (Batch batch : b.training.epoch(epoch)) {
                    model.train();
                    optimizer.zeroGrad();
                    b.loss.compute(model, batch).backward();
                    optimizer.step();
                    step++;
                    if (step % b.every == 0 || step == b.steps) {
                        record(e.getKey(), step, model, layers, probes, points);
                    }
                    if (step == b.steps) {
                        break;
                    }
                }
            }
        }
        return new RmedResult(List.copyOf(b.optimizers.keySet()), layers, points);
    }

    private void record(String optimizer, long step, Module model, List<String> layers, Rng probes,
            List<RmedPoint> points) {
        Module curvatureModel = b.float64 ? ModelCopy.float64(model, b.architecture) : model;
        double loss = HessianOperator.builder(curvatureModel, b.loss).batches(b.curvature).build().loss();
        for (String layer : layers) {
            HessianOperator op = HessianOperator.builder(curvatureModel, b.loss).batches(b.curvature)
                    .block(ParameterBlock.named(curvatureModel, List.of(layer))).build();
            LayerDiagonal d = b.rule.compute(op, probes);
            RmedPoint point = new RmedPoint(optimizer, step, layer, loss, d.rmed(), d.exact(), d.products(),
                    d.meanStandardError());
            points.add(point);
            b.listener.accept(point);
        }
    }

    /**
     * The names of the parameters with two or more dimensions (weight matrices and kernels), in model order: the
     * layers a study measures by default.
     *
     * @throws IllegalArgumentException if the model has none
     */
    public static List<String> weightMatrices(Module model) {
        List<String> names = new ArrayList<>();
        ParameterBlock all = ParameterBlock.all(model);
        for (int i = 0; i < all.count(); i++) {
            if (all.parameters().get(i).dim() >= 2) {
                names.add(all.names().get(i));
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("RmedStudy: the model has no parameter of two or more dimensions; "
                    + "name the layers with Builder.layers");
        }
        return names;
    }

    private static DType dtypeOf(Module model) {
        return ParameterBlock.all(model).dtype();
    }

    /** The options of a study; at least one optimizer is required. */
    public static final class Builder {
        private final Supplier<? extends Module> architecture;
        private final LossFunction loss;
        private final DataLoader training;
        private final List<Batch> curvature;
        private final Map<String, Function<Map<String, Variable>, Optimizer>> optimizers = new LinkedHashMap<>();
        private long steps = 300;
        private long every = 25;
        private DiagonalRule rule = DiagonalRule.DEFAULT;
        private List<String> layers;
        private boolean float64 = true;
        private long seed;
        private Consumer<RmedPoint> listener = p -> { };

        private Builder(Supplier<? extends Module> architecture, LossFunction loss, DataLoader training,
                List<Batch> curvature) {
            if (architecture == null || loss == null || training == null || curvature == null || curvature.isEmpty()) {
                throw new IllegalArgumentException("RmedStudy: architecture, loss, training loader and a non-empty "
                        + "list of curvature batches are required");
            }
            this.architecture = architecture;
            this.loss = loss;
            this.training = training;
            this.curvature = List.copyOf(curvature);
        }

        /** Adds an optimizer, made from the named parameters of its copy of the model. */
        public Builder optimizer(String name, Function<Map<String, Variable>, Optimizer> factory) {
            if (optimizers.put(name, factory) != null) {
                throw new IllegalArgumentException("RmedStudy: optimizer '" + name + "' added twice");
            }
            return this;
        }

        /** Training steps per optimizer (default 300). */
        public Builder steps(long steps) {
            this.steps = steps;
            return this;
        }

        /** R_med every {@code every} steps, and at step 0 and the last step (default 25). */
        public Builder every(long every) {
            this.every = every;
            return this;
        }

        /** How the diagonals are found (default {@link DiagonalRule#DEFAULT}). */
        public Builder diagonal(DiagonalRule rule) {
            this.rule = rule;
            return this;
        }

        /** The parameters to measure, by dotted name (default: every parameter of two or more dimensions). */
        public Builder layers(List<String> names) {
            this.layers = List.copyOf(names);
            return this;
        }

        /** Whether curvature is computed on a FLOAT64 copy of the model (default true). */
        public Builder float64(boolean float64) {
            this.float64 = float64;
            return this;
        }

        /** The seed of the diagonal probes (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Called with every point as it is measured (progress). */
        public Builder listener(Consumer<RmedPoint> listener) {
            this.listener = listener;
            return this;
        }

        /**
         * The study.
         *
         * @throws IllegalArgumentException without optimizers, or with {@code steps < 0} or {@code every < 1}
         */
        public RmedStudy build() {
            if (optimizers.isEmpty() || steps < 0 || every < 1) {
                throw new IllegalArgumentException("RmedStudy: need at least one optimizer, steps >= 0 and every >= 1,"
                        + " got " + optimizers.keySet() + ", steps " + steps + ", every " + every);
            }
            if (training.batchesPerEpoch() == 0 && steps > 0) {
                throw new IllegalArgumentException("RmedStudy: the training loader has no batches");
            }
            return new RmedStudy(this);
        }
    }
}
