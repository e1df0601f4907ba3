package dev.descent.tensor.cpu;

import dev.descent.tensor.Tensor;

/**
 * The shape of a parameter as Adafactor's factored rules see it: {@code [B, R, C]}, with C its last dimension,
 * R the one before and B the product of the others (read without allocating).
 */
final class Factored {
    private Factored() {
    }

    /** C, the size of the last dimension. */
    static int cols(Tensor t) {
        return t.size(t.dim() - 1);
    }

    /** R, the size of the second-to-last dimension. */
    static int rows(Tensor t) {
        return t.size(t.dim() - 2);
    }

    /** B, the product of the leading dimensions (0 for an empty tensor). */
    static int batches(Tensor t) {
        long rc = (long) rows(t) * cols(t);
        return rc == 0 ? 0 : (int) (t.numel() / rc);
    }
}
