package dev.descent.nn.data;

import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Batches of a data set, epoch after epoch, as {@code torch.utils.data.DataLoader}: each call of
 * {@link #iterator()} runs the next epoch.
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(Bundled.mnistTrain())
 *         .batchSize(64).shuffle(new Rng(0)).dropLast(true).prefetch(2).build();
 * for (int epoch = 0; epoch < 3; epoch++) {
 *     for (Batch b : loader) { ... b.inputs() [64, 1, 28, 28], b.targets() [64] ... }
 * }
 * }</pre>
 *
 * <p><b>Order.</b> Without shuffling, examples come in order. With {@link Builder#shuffle(Rng)}, epoch
 * {@code e} visits the examples in a permutation fixed by the generator's state when the loader was built
 * and by {@code e} alone: the same seed gives the same sequence of epochs, every epoch has its own
 * permutation, and any epoch can be replayed ({@link #order(int)}, {@link #epoch(int)},
 * {@link #setEpoch(int)}) without running the ones before it, e.g. when resuming from a checkpoint.
 *
 * <p><b>Prefetch.</b> With {@link Builder#prefetch(int)}, batches are made on a daemon thread into a
 * bounded queue while the caller trains on earlier ones. The batches are the same as without prefetch;
 * an exception thrown while making a batch is rethrown by {@code next()} (wrapped, with the original as
 * its cause). Leaving an epoch early leaves its thread waiting: close the iterator (it is
 * {@link AutoCloseable}) or the loader, which closes every iterator it has opened.
 */
public final class DataLoader implements Iterable<Batch>, AutoCloseable {
    /** An odd constant far from the golden ratio that {@link Rng}'s seeding adds, so epochs' seeds never collide. */
    private static final long EPOCH_STRIDE = 0xD1B54A32D192ED03L;

    private final int examples;
    private final Function<int[], Batch> fetch;
    private final int batchSize;
    private final boolean dropLast;
    private final boolean shuffle;
    private final long shuffleSeed;
    private final int prefetch;
    private final Set<BatchIterator> open = ConcurrentHashMap.newKeySet();
    private int nextEpoch;

    private DataLoader(Builder b) {
        this.examples = b.examples;
        this.fetch = b.fetch;
        this.batchSize = b.batchSize;
        this.dropLast = b.dropLast;
        this.shuffle = b.shuffleRng != null;
        this.shuffleSeed = shuffle ? b.shuffleRng.nextLong() : 0;
        this.prefetch = b.prefetch;
    }

    /** A loader of a {@link TensorDataset}: each batch is gathered from its tensors in one step. */
    public static Builder builder(TensorDataset dataset) {
        return new Builder(dataset.size(), dataset::batch);
    }

    /** A loader of any data set of examples, collated by {@link Batch#collate}. */
    public static Builder builder(Dataset<? extends Example> dataset) {
        return builder(dataset, Batch::collate);
    }

    /** A loader of any data set, with a collation of its own. */
    public static <T> Builder builder(Dataset<T> dataset, Function<List<T>, Batch> collate) {
        return new Builder(dataset.size(), indices -> {
            List<T> items = new ArrayList<>(indices.length);
            for (int i : indices) {
                items.add(dataset.get(i));
            }
            return collate.apply(items);
        });
    }

    /** The options of a loader; batch size 1, no shuffling, the last partial batch kept, no prefetch. */
    public static final class Builder {
        private final int examples;
        private final Function<int[], Batch> fetch;
        private int batchSize = 1;
        private boolean dropLast;
        private Rng shuffleRng;
        private int prefetch;

        private Builder(int examples, Function<int[], Batch> fetch) {
            this.examples = examples;
            this.fetch = fetch;
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("DataLoader: batch size must be positive, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Shuffles every epoch; {@link #build()} draws one number from {@code rng} (null: no shuffling). */
        public Builder shuffle(@Nullable Rng rng) {
            this.shuffleRng = rng;
            return this;
        }

        /** Whether to drop the last batch when it is smaller than the batch size. */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Makes up to {@code batches} batches ahead on a background thread (0: none, on the caller's thread). */
        public Builder prefetch(int batches) {
            if (batches < 0) {
                throw new IllegalArgumentException("DataLoader: prefetch must be >= 0 batches, got " + batches);
            }
            this.prefetch = batches;
            return this;
        }

        public DataLoader build() {
            return new DataLoader(this);
        }
    }

    /** An epoch's batches; close it to stop its prefetch thread when leaving the epoch early. */
    public interface BatchIterator extends Iterator<Batch>, AutoCloseable {
        @Override
        void close();
    }

    /** The number of batches in an epoch, as PyTorch's {@code len(loader)}. */
    public int batchesPerEpoch() {
        return dropLast ? examples / batchSize : (examples + batchSize - 1) / batchSize;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The epoch that the next {@link #iterator()} runs. */
    public int nextEpoch() {
        return nextEpoch;
    }

    /** Makes the next {@link #iterator()} run epoch {@code epoch} (and the following calls the epochs after it). */
    public void setEpoch(int epoch) {
        checkEpoch(epoch);
        this.nextEpoch = epoch;
    }

    /** Runs the next epoch. */
    @Override
    public BatchIterator iterator() {
        return open(nextEpoch++);
    }

    /** The batches of epoch {@code epoch}, independently of the epoch counter. */
    public Iterable<Batch> epoch(int epoch) {
        checkEpoch(epoch);
        return () -> open(epoch);
    }

    /** The order in which epoch {@code epoch} visits the examples (before dropping a partial last batch). */
    public int[] order(int epoch) {
        checkEpoch(epoch);
        if (!shuffle) {
            int[] identity = new int[examples];
            for (int i = 0; i < examples; i++) {
                identity[i] = i;
            }
            return identity;
        }
        long[] perm = Tensor.randperm(new Rng(shuffleSeed + epoch * EPOCH_STRIDE), examples).toLongArray();
        int[] order = new int[examples];
        for (int i = 0; i < examples; i++) {
            order[i] = (int) perm[i];
        }
        return order;
    }

    /** Stops the prefetch threads of every epoch still open. */
    @Override
    public void close() {
        for (BatchIterator it : List.copyOf(open)) {
            it.close();
        }
    }

    private static void checkEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("DataLoader: epoch must be >= 0, got " + epoch);
        }
    }

    private BatchIterator open(int epoch) {
        Batches batches = new Batches(order(epoch));
        if (prefetch == 0) {
            return batches;
        }
        Prefetcher p = new Prefetcher(batches, prefetch, epoch, open::remove);
        open.add(p);
        return p;
    }

    /** The batches of one epoch, made on the calling thread. */
    private final class Batches implements BatchIterator {
        private final int[] order;
        private final int count = batchesPerEpoch();
        private int next;

        Batches(int[] order) {
            this.order = order;
        }

        @Override
        public boolean hasNext() {
            return next < count;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("DataLoader: the epoch has ended after " + count + " batches");
            }
            int from = next * batchSize;
            int[] indices = Arrays.copyOfRange(order, from, Math.min(from + batchSize, order.length));
            next++;
            return fetch.apply(indices);
        }

        @Override
        public void close() {
            next = count;
        }
    }
}
