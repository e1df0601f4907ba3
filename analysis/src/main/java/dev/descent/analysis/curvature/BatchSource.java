package dev.descent.analysis.curvature;

import dev.descent.nn.data.Batch;
import dev.descent.nn.data.DataLoader;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The fixed, ordered batches an operator averages over: a list, or epoch 0 of a loader (the same batches in
 * the same order at every pass, shuffled or not), read afresh at each pass so a large data set is never held
 * in memory at once.
 */
final class BatchSource implements Iterable<Batch> {
    private final Iterable<Batch> batches;
    private final String description;

    private BatchSource(Iterable<Batch> batches, String description) {
        this.batches = batches;
        this.description = description;
    }

    static BatchSource of(List<Batch> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("HessianOperator: the list of batches is empty");
        }
        for (int i = 0; i < batches.size(); i++) {
            Objects.requireNonNull(batches.get(i), "HessianOperator: batch " + i + " is null");
        }
        return new BatchSource(List.copyOf(batches), batches.size() + " batches");
    }

    static BatchSource of(DataLoader loader) {
        if (loader.batchesPerEpoch() == 0) {
            throw new IllegalArgumentException("HessianOperator: the loader has no batches (batch size "
                    + loader.batchSize() + ", last partial batch dropped)");
        }
        return new BatchSource(loader.epoch(0), "epoch 0 of a loader, " + loader.batchesPerEpoch() + " batches");
    }

    @Override
    public Iterator<Batch> iterator() {
        return batches.iterator();
    }

    @Override
    public String toString() {
        return description;
    }
}
