package dev.descent.nn.data;

import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A batch: the inputs and targets of several examples stacked along a new leading axis, e.g. images
 * [B, 1, 28, 28] FLOAT32 with labels [B] INT64, or token windows [B, T] INT64 with next tokens [B, T].
 */
public record Batch(Tensor inputs, Tensor targets) {
    public Batch {
        Objects.requireNonNull(inputs, "Batch: inputs is null");
        Objects.requireNonNull(targets, "Batch: targets is null");
        if (inputs.dim() == 0 || targets.dim() == 0 || inputs.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("Batch: inputs of shape " + inputs.shape() + " and targets of shape "
                    + targets.shape() + " must share a leading batch axis");
        }
    }

    /** The number of examples. */
    public int size() {
        return inputs.size(0);
    }

    /**
     * Stacks the examples' inputs and targets along a new axis 0, keeping their dtypes (as PyTorch's
     * {@code default_collate}); every example must have the first one's shapes and dtypes.
     */
    public static Batch collate(List<? extends Example> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("collate: no examples to stack");
        }
        Example first = examples.get(0);
        List<Tensor> inputs = new ArrayList<>(examples.size());
        List<Tensor> targets = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            checkLike("input", i, e.input(), first.input());
            checkLike("target", i, e.target(), first.target());
            inputs.add(e.input());
            targets.add(e.target());
        }
        return new Batch(Tensor.stack(inputs, 0), Tensor.stack(targets, 0));
    }

    private static void checkLike(String what, int i, Tensor t, Tensor first) {
        if (!t.shape().equals(first.shape()) || t.dtype() != first.dtype()) {
            throw new IllegalArgumentException("collate: example " + i + " has " + what + " of shape " + t.shape()
                    + " (" + t.dtype() + ") but example 0 has " + first.shape() + " (" + first.dtype() + ")");
        }
    }
}
