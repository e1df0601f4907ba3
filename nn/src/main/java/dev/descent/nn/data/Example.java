package dev.descent.nn.data;

import dev.descent.tensor.DType;
import dev.descent.tensor.Tensor;
import java.util.Objects;

/**
 * One example: an input (features, an image, a token sequence) and its target (a 0-D INT64 class label, a
 * target sequence, a regression value). {@link Batch#collate} stacks examples into a batch.
 */
public record Example(Tensor input, Tensor target) {
    public Example {
        Objects.requireNonNull(input, "Example: input is null");
        Objects.requireNonNull(target, "Example: target is null");
    }

    /** An example whose target is the class {@code label} (a 0-D INT64 tensor). */
    public static Example of(Tensor input, long label) {
        return new Example(input, Tensor.scalar(DType.INT64, label));
    }
}
