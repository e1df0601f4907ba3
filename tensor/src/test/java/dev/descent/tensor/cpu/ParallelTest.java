package dev.descent.tensor.cpu;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Parallel#forRange} with more than one thread: every index is run exactly once, the caller takes a range
 * itself, work issued from inside a range runs inline, and a failure in any range reaches the caller only after
 * every range has finished.
 */
class ParallelTest {
    private int before;

    @BeforeEach
    void twoThreads() {
        before = Parallel.threads();
        Parallel.setThreads(2);
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(before);
    }

    @Test
    void everyIndexRunsOnceAndTheCallerTakesTheFirstRange() {
        int n = 10_001;
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        Thread caller = Thread.currentThread();
        Thread[] firstRange = new Thread[1];
        Parallel.forRange(n, 1, (start, end) -> {
            if (start == 0) {
                firstRange[0] = Thread.currentThread();
            }
            for (int i = start; i < end; i++) {
                seen.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, seen.get(i), "index " + i);
        }
        assertSame(caller, firstRange[0]);
    }

    @Test
    void nestedWorkRunsInlineInTheRangeThatIssuedIt() {
        int n = 64;
        AtomicIntegerArray seen = new AtomicIntegerArray(n * n);
        Parallel.forRange(n, 1, (start, end) -> {
            for (int i = start; i < end; i++) {
                int row = i;
                Thread outer = Thread.currentThread();
                Parallel.forRange(n, 1, (s, e) -> {
                    assertSame(outer, Thread.currentThread(), "a nested range left its thread");
                    for (int j = s; j < e; j++) {
                        seen.incrementAndGet(row * n + j);
                    }
                });
            }
        });
        for (int i = 0; i < n * n; i++) {
            assertEquals(1, seen.get(i), "index " + i);
        }
    }

    @Test
    void aFailureReachesTheCallerAfterEveryRangeFinished() {
        int n = 1000;
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        for (int failing : new int[] {0, n - 1}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(n, 1,
                    (start, end) -> {
                        for (int i = start; i < end; i++) {
                            seen.incrementAndGet(i);
                        }
                        if (start <= failing && failing < end) {
                            throw new IllegalStateException("range with " + failing);
                        }
                    }));
            assertEquals("range with " + failing, rootMessage(e));
            for (int i = 0; i < n; i++) {
                assertEquals(1, seen.getAndSet(i, 0), "index " + i + " (failing " + failing + ")");
            }
        }
    }

    /** The message of the innermost cause: a fork-join task may rethrow its exception wrapped in a copy. */
    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
