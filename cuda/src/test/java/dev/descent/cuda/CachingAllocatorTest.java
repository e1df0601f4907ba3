package dev.descent.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CachingAllocatorTest {

    /** Device memory with a capacity, handing out distinct addresses and recording what is live. */
    private static final class FakeMemory implements DeviceMemory {
        final long capacity;
        long live;
        int mallocs;
        int frees;
        long next = 0x1000;
        final Set<Long> outstanding = new HashSet<>();
        final java.util.Map<Long, Long> sizes = new java.util.HashMap<>();

        FakeMemory(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public long malloc(long bytes) {
            if (live + bytes > capacity) {
                throw new OutOfMemoryError("fake device full");
            }
            mallocs++;
            live += bytes;
            long a = next;
            next += bytes;
            outstanding.add(a);
            sizes.put(a, bytes);
            return a;
        }

        @Override
        public void free(long address) {
            if (!outstanding.remove(address)) {
                throw new AssertionError("double or foreign free of " + address);
            }
            frees++;
            live -= sizes.get(address);
        }
    }

    @Test
    void sizeClassesArePowersOfTwoThenWholeMebibytes() {
        assertEquals(512, CachingAllocator.sizeClass(0));
        assertEquals(512, CachingAllocator.sizeClass(1));
        assertEquals(512, CachingAllocator.sizeClass(512));
        assertEquals(1024, CachingAllocator.sizeClass(513));
        assertEquals(4096, CachingAllocator.sizeClass(4000));
        assertEquals(1 << 20, CachingAllocator.sizeClass((1 << 20) - 1));
        assertEquals(1 << 20, CachingAllocator.sizeClass(1 << 20));
        assertEquals(2L << 20, CachingAllocator.sizeClass((1 << 20) + 1));
        assertEquals(6L << 20, CachingAllocator.sizeClass((5L << 20) + 1));
        assertThrows(IllegalArgumentException.class, () -> CachingAllocator.sizeClass(-1));
    }

    @Test
    void releasedBlockIsReusedForTheSameClassWithoutAskingTheDriver() {
        FakeMemory mem = new FakeMemory(1 << 30);
        CachingAllocator alloc = new CachingAllocator(mem);
        CachingAllocator.Block a = alloc.allocate(600);
        assertEquals(1024, a.bytes());
        alloc.release(a);
        assertEquals(0, alloc.bytesInUse());
        assertEquals(1024, alloc.bytesCached());
        CachingAllocator.Block b = alloc.allocate(1000);
        assertEquals(a.address(), b.address());
        assertEquals(1, mem.mallocs);
        CachingAllocator.Block c = alloc.allocate(3000);
        assertNotEquals(a.address(), c.address());
        assertEquals(2, mem.mallocs);
        assertEquals(1024 + 4096, alloc.bytesInUse());
    }

    @Test
    void outOfMemoryEmptiesTheCacheAndRetries() {
        FakeMemory mem = new FakeMemory(4096);
        CachingAllocator alloc = new CachingAllocator(mem);
        alloc.release(alloc.allocate(2048));
        alloc.release(alloc.allocate(1024));
        // 3072 bytes sit in the cache; a 2048-byte class would fit, but 4096 needs the cache emptied
        CachingAllocator.Block big = alloc.allocate(4096);
        assertEquals(4096, big.bytes());
        assertEquals(2, mem.frees);
        assertEquals(0, alloc.bytesCached());
        assertThrows(OutOfMemoryError.class, () -> alloc.allocate(512));
    }

    @Test
    void emptyCacheFreesOnlyCachedBlocks() {
        FakeMemory mem = new FakeMemory(1 << 20);
        CachingAllocator alloc = new CachingAllocator(mem);
        CachingAllocator.Block kept = alloc.allocate(100);
        alloc.release(alloc.allocate(100));
        alloc.emptyCache();
        assertEquals(1, mem.frees);
        assertEquals(Set.of(kept.address()), mem.outstanding);
        assertEquals(512, alloc.bytesInUse());
    }
}
