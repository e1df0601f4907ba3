package dev.descent.cuda;

import dev.descent.tensor.DType;
import dev.descent.tensor.Device;
import dev.descent.tensor.Storage;
import java.lang.ref.Cleaner;

/**
 * Device storage: one block from the {@link CachingAllocator}. Free it with {@link #free()} as soon as it
 * is dead (training loops should); a {@link Cleaner} returns the block if the storage becomes unreachable
 * first, because the JVM heap does not feel device memory and would otherwise never collect it in time.
 * BOOL elements are one byte (0 or 1).
 */
public final class CudaStorage extends Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Device device;
    private final long address;
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    CudaStorage(Device device, DType dtype, int size, CachingAllocator allocator) {
        super(dtype, size);
        this.device = device;
        CachingAllocator.Block block = allocator.allocate(Math.max(1L, (long) size * dtype.byteSize()));
        this.address = block.address();
        this.release = new Release(allocator, block);
        this.cleanable = CLEANER.register(this, release);
    }

    @Override
    public Device device() {
        return device;
    }

    /** The device address of element 0. */
    public long address() {
        if (release.done) {
            throw new IllegalStateException("CudaStorage: used after free() on " + device);
        }
        return address;
    }

    /** The device address of element {@code offset}. */
    long address(int offset) {
        return address() + (long) offset * dtype().byteSize();
    }

    /** Returns the block to the allocator now; later use throws. Idempotent. */
    public void free() {
        cleanable.clean();
    }

    /** Whether {@link #free()} has run (or the cleaner has). */
    public boolean isFreed() {
        return release.done;
    }

    /** Must not refer to the storage, or it would never become unreachable. */
    private static final class Release implements Runnable {
        private final CachingAllocator allocator;
        private final CachingAllocator.Block block;
        private volatile boolean done;

        Release(CachingAllocator allocator, CachingAllocator.Block block) {
            this.allocator = allocator;
            this.block = block;
        }

        @Override
        public void run() {
            done = true;
            allocator.release(block);
        }
    }
}
