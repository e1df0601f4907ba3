package dev.descent.nn;

import dev.descent.autograd.Autograd;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Recomputes the running statistics of every batch-norm layer of a model from data, as Granziol's
 * {@code bn_update} (the reference of iterate averaging, spec/optimizers.md §12) does after swapping averaged
 * weights in: running statistics collected along training belong to the weights of that time, not to their
 * average. Each batch of {@code b} examples, after {@code n} examples, gets momentum {@code b / (n + b)}, so the
 * result is the average of the batches' statistics weighted by their sizes ({@code torch.optim.swa_utils.update_bn}
 * weights every batch equally; the two agree for equal batches).
 */
public final class BatchNormStatistics {
    private BatchNormStatistics() {
    }

    /**
     * Resets each batch-norm layer's running statistics, then runs {@code forward} on every batch in training
     * mode without recording a graph, with the momentum of each batch set to its share of the examples seen, so
     * that the new running mean and (unbiased) variance are the size-weighted averages of the batches'
     * statistics; the momenta and every module's training flag are restored afterwards. A model without batch norm is left alone and {@code inputs} is not read.
     *
     * @param inputs  the batches' inputs, examples along the first axis (e.g. each {@code Batch.inputs()})
     * @param forward runs the model on one batch's inputs (its output is not used)
     * @return the number of batch-norm layers updated
     */
    public static int recompute(Module model, Iterable<Tensor> inputs, Consumer<Tensor> forward) {
        List<BatchNormBase> norms = new ArrayList<>();
        for (Module m : model.namedModules().values()) {
            if (m instanceof BatchNormBase bn && bn.runningMean() != null) {
                norms.add(bn);
            }
        }
        if (norms.isEmpty()) {
            return 0;
        }
        Map<Module, Boolean> modes = new LinkedHashMap<>();
        model.namedModules().values().forEach(m -> modes.put(m, m.isTraining()));
        Map<BatchNormBase, Double> momenta = new LinkedHashMap<>();
        for (BatchNormBase bn : norms) {
            bn.resetRunningStats();
            momenta.put(bn, bn.swapMomentum(null));
        }
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            model.train();
            long seen = 0;
            for (Tensor b : inputs) {
                int size = b.size(0);
                for (BatchNormBase bn : norms) {
                    bn.swapMomentum((double) size / (seen + size));
                }
                forward.accept(b);
                seen += size;
            }
        } finally {
            momenta.forEach(BatchNormBase::swapMomentum);
            modes.forEach((m, training) -> m.train(training));
        }
        return norms.size();
    }
}
