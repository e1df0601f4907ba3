package dev.descent.analysis.curvature;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.nn.Module;
import dev.descent.nn.data.Batch;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code Hv} by reverse over reverse, batch by batch: the gradient {@code g} with a graph, then one more reverse
 * pass through that graph seeded with {@code v} (the vector-Jacobian product {@code vᵀ ∂g/∂θ = (Hv)ᵀ}, with no
 * {@code <g, v>} node). With graph reuse, each batch's gradient graph is built once and kept for later
 * products (PyHessian's single-batch mode), and rebuilt when the model's parameters or buffers change.
 * Callers hold the model in its curvature mode with grad mode on.
 */
final class DoubleBackprop {
    /** One batch's gradient with its graph: the entries of the block that depend on the parameters. */
    private record Gradient(List<Variable> outputs, List<Integer> positions) {
    }

    private final Module model;
    private final LossFunction lossFunction;
    private final ParameterBlock block;
    private final boolean reuseGraph;
    private final Map<Integer, Gradient> cache = new HashMap<>();
    private StateStamp stamp;

    DoubleBackprop(Module model, LossFunction lossFunction, ParameterBlock block, boolean reuseGraph) {
        this.model = model;
        this.lossFunction = lossFunction;
        this.block = block;
        this.reuseGraph = reuseGraph;
    }

    /** {@code Σ n_b H_b v / Σ n_b} over {@code batches}. */
    double[] apply(Iterable<Batch> batches, double[] v) {
        if (reuseGraph && (stamp == null || !stamp.matches(model))) {
            release();
            stamp = StateStamp.of(model);
        }
        List<Tensor> vs = block.unflatten(v);
        double[] sum = new double[block.size()];
        long examples = 0;
        int index = 0;
        for (Batch batch : batches) {
            Gradient g = reuseGraph ? cache.computeIfAbsent(index, i -> gradient(batch)) : gradient(batch);
            Flat.addScaled(sum, batch.size(), product(g, vs));
            examples += batch.size();
            index++;
        }
        Flat.scale(sum, 1.0 / examples);
        return sum;
    }

    /** Drops the kept graphs. */
    void release() {
        cache.clear();
        stamp = null;
    }

    private Gradient gradient(Batch batch) {
        Variable loss = GradientPass.loss(model, lossFunction, batch);
        // the forward graph must outlive this pass: the second one runs back through it
        List<Variable> g = Autograd.grad(List.of(loss), block.parameters(), null, true, true, true);
        List<Variable> outputs = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < g.size(); i++) {
            // a gradient that is constant in the parameters (or absent) contributes zero curvature
            if (g.get(i) != null && g.get(i).requiresGrad()) {
                outputs.add(g.get(i));
                positions.add(i);
            }
        }
        return new Gradient(outputs, positions);
    }

    /** {@code H_b v} from a batch's gradient graph, laid out as the block's flat vectors. */
    private double[] product(Gradient g, List<Tensor> vs) {
        if (g.outputs().isEmpty()) {
            return new double[block.size()];
        }
        List<Tensor> seeds = new ArrayList<>(g.positions().size());
        for (int i : g.positions()) {
            seeds.add(vs.get(i));
        }
        List<Variable> hv = Autograd.grad(g.outputs(), block.parameters(), seeds, reuseGraph, false, true);
        return GradientPass.flatten(block, hv);
    }
}
