package dev.descent.analysis.curvature;

import dev.descent.autograd.Autograd;
import dev.descent.nn.Module;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.DataLoader;
import dev.descent.tensor.DType;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Hessian of a model's mean loss with respect to a {@link ParameterBlock}, over one batch or averaged over
 * a fixed list of batches with each batch weighted by its size: {@code Hv = Σ_b n_b H_b v / Σ_b n_b}, which is
 * the Hessian of the mean loss over all the examples (PyHessian's weighting). Parameters outside the block are
 * held fixed, so {@link #size()} is the block's size.
 *
 * <pre>{@code
 * HessianOperator h = HessianOperator.builder(model, LossFunction.crossEntropyOnFlattened())
 *         .data(DataLoader.builder(Bundled.mnistTrain()).batchSize(1000).build())
 *         .block(ParameterBlock.under(model, "0"))        // the first layer only; default: all parameters
 *         .build();
 * double[] hv = h.apply(v);                               // a new array; no .grad is touched
 * double[] g = h.gradient();                              // the full-data gradient, same weighting
 * }</pre>
 *
 * <p>Every call runs the model in its {@link CurvatureMode} (default {@link CurvatureMode#EVAL}): dropout off,
 * batch-norm running statistics never written, and each module's training flag put back afterwards. The
 * operator computes in the dtype of the block's parameters: FLOAT32 or FLOAT64 (for a FLOAT64 analysis of a
 * FLOAT32 model, see {@link ModelCopy}). Results are float64 vectors in the block's layout. Not thread-safe:
 * a call changes the model's modes while it runs.
 */
public final class HessianOperator implements CurvatureOperator {
    private final Module model;
    private final LossFunction lossFunction;
    private final BatchSource batches;
    private final ParameterBlock block;
    private final CurvatureMode mode;
    private final HvpMethod method;
    private final DoubleBackprop doubleBackprop;
    private final FiniteDifference finiteDifference;

    private HessianOperator(Builder b) {
        this.model = b.model;
        this.lossFunction = b.lossFunction;
        if (b.batches == null) {
            throw new IllegalArgumentException("HessianOperator: no data; give it with batch, batches or data");
        }
        this.batches = b.batches;
        this.block = b.block != null ? b.block : ParameterBlock.all(b.model);
        this.mode = b.mode;
        this.method = b.method;
        requireOwnParameters(model, block);
        DType dtype = block.dtype();
        this.doubleBackprop = new DoubleBackprop(model, lossFunction, block, b.reuseGraph);
        this.finiteDifference = method != HvpMethod.FINITE_DIFFERENCE ? null : new FiniteDifference(model,
                lossFunction, block, b.epsilon != null ? b.epsilon : FiniteDifference.defaultEpsilon(dtype));
    }

    /** Starts an operator for {@code model}'s {@code loss}. */
    public static Builder builder(Module model, LossFunction loss) {
        return new Builder(Objects.requireNonNull(model, "HessianOperator: model is null"),
                Objects.requireNonNull(loss, "HessianOperator: loss function is null"));
    }

    @Override
    public int size() {
        return block.size();
    }

    /** {@code Hv}, as a new array. */
    @Override
    public double[] apply(double[] v) {
        CurvatureOperator.checkLength("HessianOperator.apply", size(), v);
        try (ModeScope scope = ModeScope.enter(model, mode); Autograd.Scope grad = Autograd.enableGrad()) {
            return method == HvpMethod.FINITE_DIFFERENCE ? finiteDifference.apply(batches, v)
                    : doubleBackprop.apply(batches, v);
        }
    }

    /** The mean loss and its gradient with respect to the block, in one first-order pass over the data. */
    public LossAndGradient lossAndGradient() {
        try (ModeScope scope = ModeScope.enter(model, mode); Autograd.Scope grad = Autograd.enableGrad()) {
            return GradientPass.run(model, lossFunction, block, batches);
        }
    }

    /** The gradient of the mean loss with respect to the block (the full-batch gradient over a data set). */
    public double[] gradient() {
        return lossAndGradient().gradient();
    }

    /** The mean loss over the data. */
    public double loss() {
        return lossAndGradient().loss();
    }

    /** Drops the gradient graphs kept with {@link Builder#reuseGraph(boolean)}; the next product rebuilds them. */
    public void release() {
        doubleBackprop.release();
    }

    public ParameterBlock block() {
        return block;
    }

    public CurvatureMode mode() {
        return mode;
    }

    public HvpMethod method() {
        return method;
    }

    /** The dtype the operator computes in, that of the block's parameters. */
    public DType dtype() {
        return block.dtype();
    }

    @Override
    public String toString() {
        return "HessianOperator(" + block.count() + " tensors, " + size() + " elements, " + batches + ", " + mode
                + ", " + method + ")";
    }

    private static void requireOwnParameters(Module model, ParameterBlock block) {
        Map<Object, Boolean> own = new IdentityHashMap<>();
        model.parameters().forEach(p -> own.put(p, Boolean.TRUE));
        for (int i = 0; i < block.count(); i++) {
            if (!own.containsKey(block.parameters().get(i))) {
                throw new IllegalArgumentException("HessianOperator: block parameter " + block.names().get(i)
                        + " is not a parameter of the model; build the block from the same model");
            }
        }
    }

    /** The options of an operator: data required; all parameters, EVAL, double backprop, no graph reuse by default. */
    public static final class Builder {
        private final Module model;
        private final LossFunction lossFunction;
        private BatchSource batches;
        private ParameterBlock block;
        private CurvatureMode mode = CurvatureMode.EVAL;
        private HvpMethod method = HvpMethod.DOUBLE_BACKPROP;
        private Double epsilon;
        private boolean reuseGraph;

        private Builder(Module model, LossFunction lossFunction) {
            this.model = model;
            this.lossFunction = lossFunction;
        }

        /** One fixed batch. */
        public Builder batch(Batch batch) {
            return batches(List.of(Objects.requireNonNull(batch, "HessianOperator: batch is null")));
        }

        /** A fixed, ordered list of batches, each weighted by its size. */
        public Builder batches(List<Batch> batches) {
            this.batches = BatchSource.of(batches);
            return this;
        }

        /**
         * The batches of epoch 0 of {@code loader}, read afresh at every pass (the same batches in the same order
         * every time, since an epoch's order is fixed by the loader's seed); each weighted by its size.
         */
        public Builder data(DataLoader loader) {
            this.batches = BatchSource.of(loader);
            return this;
        }

        /** The parameters to differentiate with respect to (default: all of the model's). */
        public Builder block(ParameterBlock block) {
            this.block = Objects.requireNonNull(block, "HessianOperator: block is null");
            return this;
        }

        public Builder mode(CurvatureMode mode) {
            this.mode = Objects.requireNonNull(mode, "HessianOperator: mode is null");
            return this;
        }

        /** Finite differences with the default step for the block's dtype (FLOAT64 6e-6, FLOAT32 5e-3). */
        public Builder finiteDifferences() {
            this.method = HvpMethod.FINITE_DIFFERENCE;
            this.epsilon = null;
            return this;
        }

        /** Finite differences with step {@code epsilon}, scaled as {@link HvpMethod#FINITE_DIFFERENCE} says. */
        public Builder finiteDifferences(double epsilon) {
            this.method = HvpMethod.FINITE_DIFFERENCE;
            this.epsilon = epsilon;
            return this;
        }

        /** Double backprop (the default). */
        public Builder doubleBackprop() {
            this.method = HvpMethod.DOUBLE_BACKPROP;
            return this;
        }

        /**
         * Whether double backprop keeps each batch's gradient graph between products (PyHessian's single-batch
         * mode): saves the forward and first backward pass of every product, but holds every batch's activations
         * and backward intermediates until {@link HessianOperator#release()}. Kept graphs are rebuilt when a
         * parameter or buffer of the model changes. Default false.
         */
        public Builder reuseGraph(boolean reuse) {
            this.reuseGraph = reuse;
            return this;
        }

        public HessianOperator build() {
            return new HessianOperator(this);
        }
    }
}
