package dev.descent.cuda;

/**
 * Raw device memory: what {@link CachingAllocator} asks of the driver. Split out so that the allocator's
 * bookkeeping can be tested without a GPU.
 */
public interface DeviceMemory {

    /** Allocates {@code bytes} of device memory and returns its address; throws {@link OutOfMemoryError} when none is left. */
    long malloc(long bytes);

    /** Returns memory that {@link #malloc} gave out. */
    void free(long address);
}
