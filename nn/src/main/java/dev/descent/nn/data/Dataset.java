package dev.descent.nn.data;

import java.util.List;

/**
 * A finite collection of examples readable by position, as PyTorch's map-style
 * {@code torch.utils.data.Dataset}. A {@link DataLoader} with prefetching reads it from a background
 * thread, so {@code get} must be safe to call from a thread other than the one that made the data set
 * (true of every immutable data set, which all of this package's are).
 *
 * @param <T> the type of one example
 */
public interface Dataset<T> {
    /** The number of examples. */
    int size();

    /** Example {@code index}, for {@code 0 <= index < size()}. */
    T get(int index);

    /** A data set of the given examples (copied into an immutable list). */
    static <T> Dataset<T> of(List<? extends T> examples) {
        List<T> items = List.copyOf(examples);
        return new Dataset<>() {
            @Override
            public int size() {
                return items.size();
            }

            @Override
            public T get(int index) {
                return items.get(index);
            }
        };
    }
}
