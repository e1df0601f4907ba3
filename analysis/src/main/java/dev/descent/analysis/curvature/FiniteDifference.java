package dev.descent.analysis.curvature;

import dev.descent.autograd.Variable;
import dev.descent.nn.Module;
import dev.descent.nn.data.Batch;
import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Hv} by the central difference of the data-set gradient along {@code u = v / ‖v‖}:
 * {@code ‖v‖ [g(θ + hu) − g(θ − hu)] / 2h} with {@code h = ε · max(1, rms(θ))}, {@code θ} the block's
 * values. Normalising {@code v} makes the step, and so the truncation error {@code O(h²)}, independent of
 * {@code v}'s scale; scaling by the root-mean-square weight keeps the step relative to the weights' magnitude
 * when they are large (for typical weights, rms below 1, {@code h = ε}).
 *
 * <p>The parameters are perturbed by giving each one a new tensor ({@code θ ± hu} computed in float64 and
 * rounded once to the parameter's dtype); the original tensors are never written and are put back in a
 * {@code finally} block, so the restore is bit-exact and a gradient graph kept by another operator over the
 * same model stays valid. Callers hold the model in its curvature mode with grad mode on.
 */
final class FiniteDifference {
    /** HE1's default steps, about ε_mach^(1/3) of each dtype: the balance of truncation and round-off. */
    static double defaultEpsilon(DType dtype) {
        switch (dtype) {
            case FLOAT64:
                return 6e-6;
            case FLOAT32:
                return 5e-3;
            default:
                throw new IllegalArgumentException("HessianOperator: no finite-difference step for " + dtype);
        }
    }

    private final Module model;
    private final LossFunction lossFunction;
    private final ParameterBlock block;
    private final double epsilon;

    FiniteDifference(Module model, LossFunction lossFunction, ParameterBlock block, double epsilon) {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("HessianOperator: the finite-difference epsilon must be positive and"
                    + " finite, got " + epsilon);
        }
        this.model = model;
        this.lossFunction = lossFunction;
        this.block = block;
        this.epsilon = epsilon;
    }

    /** The step {@code h} at the block's values {@code theta}. */
    double step(double[] theta) {
        double rms = theta.length == 0 ? 0 : Flat.norm(theta) / Math.sqrt(theta.length);
        return epsilon * Math.max(1, rms);
    }

    /** The central-difference estimate of {@code Σ n_b H_b v / Σ n_b} over {@code batches}. */
    double[] apply(Iterable<Batch> batches, double[] v) {
        double norm = Flat.norm(v);
        if (norm == 0) {
            return new double[v.length];
        }
        double[] theta = block.values();
        double h = step(theta);
        List<Variable> params = block.parameters();
        List<Tensor> originals = new ArrayList<>(params.size());
        for (Variable p : params) {
            originals.add(p.value());
        }
        double[] plus;
        double[] minus;
        try {
            install(theta, v, h / norm);
            plus = GradientPass.run(model, lossFunction, block, batches).gradient();
            install(theta, v, -h / norm);
            minus = GradientPass.run(model, lossFunction, block, batches).gradient();
        } finally {
            for (int i = 0; i < params.size(); i++) {
                params.get(i).setValue(originals.get(i));
            }
        }
        double[] hv = new double[v.length];
        double scale = norm / (2 * h);
        for (int i = 0; i < hv.length; i++) {
            hv[i] = (plus[i] - minus[i]) * scale;
        }
        return hv;
    }

    /** Gives every parameter of the block the new tensor {@code θ + a v}. */
    private void install(double[] theta, double[] v, double a) {
        double[] shifted = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            shifted[i] = theta[i] + a * v[i];
        }
        List<Tensor> tensors = block.unflatten(shifted);
        for (int i = 0; i < tensors.size(); i++) {
            block.parameters().get(i).setValue(tensors.get(i));
        }
    }
}
