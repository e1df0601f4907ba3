package dev.descent.analysis.monitor;

import dev.descent.autograd.Autograd;
import dev.descent.autograd.Variable;
import dev.descent.nn.Module;
import dev.descent.nn.data.Batch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gradient of the loss over a fixed list of batches, {@code ∇L = Σ_b n_b ∇L_b / Σ_b n_b} (each batch weighted by
 * its size, spec/analysis.md §1.5), with the model in evaluation mode (dropout off, batch norm on its running
 * statistics). Gradients come from {@link Autograd#grad}, so no parameter's {@code .grad} is touched, and every
 * module's training flag is put back as it was.
 */
public final class FullBatchGradient {
    /**
     * The loss and gradient over the batches.
     *
     * @param loss     the weighted mean loss
     * @param gradient per trainable parameter (by name), as flat float64 arrays
     * @param norm     the Euclidean norm of the whole gradient
     * @param examples {@code Σ n_b}
     */
    public record Result(double loss, Map<String, double[]> gradient, double norm, long examples) {
    }

    private FullBatchGradient() {
    }

    /**
     * Computes the gradient of {@code loss} over {@code batches} at the model's current parameters.
     *
     * @throws IllegalArgumentException if {@code batches} is empty or a batch is empty, or the model has no
     *     trainable parameter
     */
    public static Result compute(Module model, List<Batch> batches, BatchLoss loss) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("FullBatchGradient.compute: no batches given");
        }
        Map<String, Variable> params = new LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> {
            if (p.requiresGrad()) {
                params.put(n, p);
            }
        });
        if (params.isEmpty()) {
            throw new IllegalArgumentException("FullBatchGradient.compute: the model has no trainable parameter");
        }
        List<Variable> inputs = new ArrayList<>(params.values());
        Map<Module, Boolean> modes = trainingFlags(model);
        double[][] sum = new double[inputs.size()][];
        double lossSum = 0;
        long examples = 0;
        model.eval();
        try (Autograd.Scope recording = Autograd.enableGrad()) {
            for (Batch b : batches) {
                int n = b.size();
                if (n < 1) {
                    throw new IllegalArgumentException("FullBatchGradient.compute: batch " + batches.indexOf(b)
                            + " is empty");
                }
                Variable l = loss.loss(model, b);
                List<Variable> grads = Autograd.grad(List.of(l), inputs, null, false, false, true);
                for (int i = 0; i < inputs.size(); i++) {
                    accumulate(sum, i, grads.get(i), inputs.get(i).numel(), n);
                }
                lossSum += n * l.item();
                examples += n;
            }
        } finally {
            modes.forEach(Module::train);
        }
        Map<String, double[]> gradient = new LinkedHashMap<>();
        double squares = 0;
        int i = 0;
        for (String name : params.keySet()) {
            double[] g = sum[i++];
            for (int k = 0; k < g.length; k++) {
                g[k] /= examples;
                squares += g[k] * g[k];
            }
            gradient.put(name, g);
        }
        return new Result(lossSum / examples, gradient, Math.sqrt(squares), examples);
    }

    /** Adds {@code weight × grad} (zeros when the loss does not depend on the parameter) into {@code sum[i]}. */
    private static void accumulate(double[][] sum, int i, Variable grad, int numel, int weight) {
        if (sum[i] == null) {
            sum[i] = new double[numel];
        }
        if (grad == null) {
            return;
        }
        double[] g = grad.value().toDoubleArray();
        for (int k = 0; k < g.length; k++) {
            sum[i][k] += weight * g[k];
        }
    }

    /**
     * Every module's training flag, parents before children: restoring them in this order with
     * {@link Module#train(boolean)} (which also sets the descendants) leaves each module exactly as it was.
     */
    static Map<Module, Boolean> trainingFlags(Module model) {
        Map<Module, Boolean> flags = new LinkedHashMap<>();
        model.namedModules().values().forEach(m -> flags.put(m, m.isTraining()));
        return flags;
    }
}
