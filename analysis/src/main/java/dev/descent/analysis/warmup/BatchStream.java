package dev.descent.analysis.warmup;

import dev.descent.nn.data.Batch;
import dev.descent.nn.data.DataLoader;
import java.util.Iterator;

/** Endless batches: the epochs of a {@link DataLoader} one after the other. */
final class BatchStream {
    private final DataLoader loader;
    private Iterator<Batch> epoch;

    BatchStream(DataLoader loader) {
        if (loader.batchesPerEpoch() < 1) {
            throw new IllegalArgumentException("BatchStream: the data set has fewer examples than one batch of "
                    + loader.batchSize());
        }
        this.loader = loader;
    }

    Batch next() {
        if (epoch == null || !epoch.hasNext()) {
            epoch = loader.iterator();
        }
        return epoch.next();
    }
}
