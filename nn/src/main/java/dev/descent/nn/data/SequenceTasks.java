package dev.descent.nn.data;

import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Synthetic sequence-to-sequence tasks, the classic probes of attention and recurrent models: random token
 * sequences (INT64 [count, length], tokens uniform in [0, vocabularySize)) with targets of the same shape
 * that copy, reverse or sort each sequence. The same generator state gives the same data set.
 */
public final class SequenceTasks {
    private SequenceTasks() {
    }

    /** Targets equal to the inputs. */
    public static TensorDataset copy(int count, int length, int vocabularySize, Rng rng) {
        return make("copy", count, length, vocabularySize, rng, row -> row);
    }

    /** Targets that are the inputs reversed. */
    public static TensorDataset reverse(int count, int length, int vocabularySize, Rng rng) {
        return make("reverse", count, length, vocabularySize, rng, row -> {
            long[] out = new long[row.length];
            for (int i = 0; i < row.length; i++) {
                out[i] = row[row.length - 1 - i];
            }
            return out;
        });
    }

    /** Targets that are the inputs sorted in ascending order. */
    public static TensorDataset sort(int count, int length, int vocabularySize, Rng rng) {
        return make("sort", count, length, vocabularySize, rng, row -> {
            long[] out = row.clone();
            Arrays.sort(out);
            return out;
        });
    }

    private static TensorDataset make(String task, int count, int length, int vocabularySize, Rng rng,
                                      UnaryOperator<long[]> target) {
        if (count < 1 || length < 1 || vocabularySize < 1) {
            throw new IllegalArgumentException("SequenceTasks." + task + ": count, length and vocabulary size must be"
                    + " positive, got " + count + ", " + length + " and " + vocabularySize);
        }
        long[] inputs = Tensor.randint(rng, 0, vocabularySize, count, length).toLongArray();
        long[] targets = new long[inputs.length];
        for (int r = 0; r < count; r++) {
            long[] row = Arrays.copyOfRange(inputs, r * length, (r + 1) * length);
            System.arraycopy(target.apply(row), 0, targets, r * length, length);
        }
        return new TensorDataset(Tensor.of(inputs, count, length), Tensor.of(targets, count, length));
    }
}
