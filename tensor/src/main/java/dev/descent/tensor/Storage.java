package dev.descent.tensor;

/**
 * A flat block of elements owned by one backend. Tensors are views onto a storage; several tensors may
 * share one. The version counter counts in-place writes, so that a backward rule can detect that a value
 * it saved was changed afterwards.
 */
public abstract class Storage {
    private final DType dtype;
    private final int size;
    private int version;

    protected Storage(DType dtype, int size) {
        this.dtype = dtype;
        this.size = size;
    }

    public final DType dtype() {
        return dtype;
    }

    /** Number of elements. */
    public final int size() {
        return size;
    }

    /** The device this storage lives on. */
    public abstract Device device();

    /** How many in-place writes this storage has seen. */
    public final int version() {
        return version;
    }

    /** Records one in-place write; every in-place operation calls it. */
    public final void bumpVersion() {
        version++;
    }
}
