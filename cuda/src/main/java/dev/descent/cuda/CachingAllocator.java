package dev.descent.cuda;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A caching allocator over {@link DeviceMemory}: requests are rounded up to a size class, and released
 * blocks go to that class's free list instead of back to the driver, because {@code cudaMalloc} and
 * {@code cudaFree} synchronise the device and cost far more than a training step's worth of small tensors.
 *
 * <p>Size classes: at least {@value #MIN_BLOCK} bytes; powers of two up to {@value #LARGE}; above that,
 * multiples of {@value #LARGE}, so that large blocks waste at most 1 MiB. When the driver is out of
 * memory, the cache is emptied and the allocation retried once. Thread-safe.
 */
public final class CachingAllocator {
    /** The smallest block, and the alignment of every block. */
    public static final long MIN_BLOCK = 512;
    /** Above this size, classes are multiples of it rather than powers of two. */
    public static final long LARGE = 1 << 20;

    private final DeviceMemory memory;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private long bytesInUse;
    private long bytesCached;

    /** An allocator drawing on {@code memory}. */
    public CachingAllocator(DeviceMemory memory) {
        this.memory = memory;
    }

    /** A block of device memory: its address and its size class in bytes. */
    public record Block(long address, long bytes) {
    }

    /** The size class serving a request of {@code bytes}. */
    public static long sizeClass(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("CachingAllocator.sizeClass: negative size " + bytes);
        }
        if (bytes <= MIN_BLOCK) {
            return MIN_BLOCK;
        }
        if (bytes <= LARGE) {
            return Long.highestOneBit(bytes - 1) << 1;
        }
        return (bytes + LARGE - 1) / LARGE * LARGE;
    }

    /** A block of at least {@code bytes}, from the cache when one of its class is free. */
    public synchronized Block allocate(long bytes) {
        long cls = sizeClass(bytes);
        ArrayDeque<Long> list = free.get(cls);
        if (list != null && !list.isEmpty()) {
            bytesCached -= cls;
            bytesInUse += cls;
            return new Block(list.pop(), cls);
        }
        long address;
        try {
            address = memory.malloc(cls);
        } catch (OutOfMemoryError e) {
            emptyCache();
            address = memory.malloc(cls);
        }
        bytesInUse += cls;
        return new Block(address, cls);
    }

    /** Returns a block to its class's free list; the device memory stays reserved for reuse. */
    public synchronized void release(Block block) {
        bytesInUse -= block.bytes();
        bytesCached += block.bytes();
        free.computeIfAbsent(block.bytes(), k -> new ArrayDeque<>()).push(block.address());
    }

    /** Hands every cached block back to the driver. */
    public synchronized void emptyCache() {
        for (ArrayDeque<Long> list : free.values()) {
            for (Long address : list) {
                memory.free(address);
            }
        }
        free.clear();
        bytesCached = 0;
    }

    /** Bytes in blocks currently given out. */
    public synchronized long bytesInUse() {
        return bytesInUse;
    }

    /** Bytes in free blocks held for reuse. */
    public synchronized long bytesCached() {
        return bytesCached;
    }
}
