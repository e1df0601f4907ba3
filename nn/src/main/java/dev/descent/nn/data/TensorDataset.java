package dev.descent.nn.data;

import dev.descent.tensor.Tensor;

/**
 * Examples held as two tensors whose first axis indexes the examples, as
 * {@code torch.utils.data.TensorDataset}: inputs [N, ...] and targets [N, ...]. Examples are views of
 * these tensors, and a {@link DataLoader} collates a batch with one gather per tensor instead of stacking
 * examples one by one.
 */
public final class TensorDataset implements Dataset<Example> {
    private final Tensor inputs;
    private final Tensor targets;

    public TensorDataset(Tensor inputs, Tensor targets) {
        if (inputs.dim() == 0 || targets.dim() == 0 || inputs.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("TensorDataset: inputs of shape " + inputs.shape() + " and targets of"
                    + " shape " + targets.shape() + " must have the same size along axis 0 (one row per example)");
        }
        this.inputs = inputs;
        this.targets = targets;
    }

    @Override
    public int size() {
        return inputs.size(0);
    }

    /** Example {@code index}: views of row {@code index} of the inputs and targets. */
    @Override
    public Example get(int index) {
        checkIndex(index);
        return new Example(inputs.select(0, index), targets.select(0, index));
    }

    /** All inputs, [N, ...]. */
    public Tensor inputs() {
        return inputs;
    }

    /** All targets, [N, ...]. */
    public Tensor targets() {
        return targets;
    }

    /** The examples at {@code indices}, gathered into a new batch. */
    public Batch batch(int[] indices) {
        long[] rows = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            checkIndex(indices[i]);
            rows[i] = indices[i];
        }
        Tensor index = Tensor.of(rows);
        return new Batch(inputs.indexSelect(0, index), targets.indexSelect(0, index));
    }

    /** Examples {@code from} (inclusive) to {@code to} (exclusive), as views. */
    public TensorDataset subset(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException("TensorDataset.subset: [" + from + ", " + to + ") is not a range of the "
                    + size() + " examples");
        }
        return new TensorDataset(inputs.narrow(0, from, to - from), targets.narrow(0, from, to - from));
    }

    /** The same examples with each input reshaped to {@code exampleShape}, e.g. {@code reshapeInputs(784)} for an MLP. */
    public TensorDataset reshapeInputs(int... exampleShape) {
        int[] shape = new int[exampleShape.length + 1];
        shape[0] = size();
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        return new TensorDataset(inputs.reshape(shape), targets);
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("TensorDataset: index " + index + " is out of range for " + size()
                    + " examples");
        }
    }

    @Override
    public String toString() {
        return "TensorDataset(" + size() + " examples, inputs " + inputs.shape() + " " + inputs.dtype() + ", targets "
                + targets.shape() + " " + targets.dtype() + ")";
    }
}
