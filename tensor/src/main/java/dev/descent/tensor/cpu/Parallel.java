package dev.descent.tensor.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The elementwise thread pool. Work below {@link #GRAIN} elements, work issued from inside the pool and
 * work when one thread is configured runs on the calling thread, so nested or small operations never pay
 * for a hand-off.
 */
final class Parallel {
    /**
     * Elements below which splitting costs more than it saves for memory-bound loops. Mid-size tensors
     * (activations of a batch: 64K to 256K elements) stay on the calling thread: splitting them lost more
     * to waking the pool, and to OpenBLAS's threads spinning on the other core between products, than it
     * gained (the gradient of a 784-512-512-10 MLP at batch 128 on 2 threads: 6.1 ms with a grain of 32K,
     * 5.5 ms with 256K).
     */
    static final int GRAIN = 1 << 18;

    /** A half-open range of work items. */
    interface RangeBody {
        void run(int start, int end);
    }

    private static volatile ForkJoinPool pool;
    /** Whether this (non-pool) thread is running its own range of a split: work it issues then runs inline. */
    private static final ThreadLocal<boolean[]> SPLITTING = ThreadLocal.withInitial(() -> new boolean[1]);
    private static volatile int threads = 1;

    private Parallel() {
    }

    static synchronized void setThreads(int n) {
        if (n == threads && (n == 1 || pool != null)) {
            return;
        }
        ForkJoinPool old = pool;
        threads = n;
        pool = n > 1 ? new ForkJoinPool(n, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("descent-cpu-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false) : null;
        if (old != null) {
            old.shutdown();
        }
    }

    static int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over [0, n), split into at most one range per thread when {@code n >= grain}. The calling
     * thread runs the first range itself and the pool the others: handing every range to the pool left the
     * caller idle, and on 2 cores one worker often ran both halves before the other was awake (max pooling on 2
     * threads ran on one core).
     */
    static void forRange(int n, int grain, RangeBody body) {
        ForkJoinPool p = pool;
        int parts = p == null ? 1 : Math.min(threads, n / Math.max(grain, 1));
        if (parts <= 1 || Thread.currentThread() instanceof ForkJoinWorkerThread || SPLITTING.get()[0]) {
            body.run(0, n);
            return;
        }
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[parts - 1];
        for (int i = 1; i < parts; i++) {
            int lo = (int) ((long) n * i / parts);
            int hi = (int) ((long) n * (i + 1) / parts);
            others[i - 1] = p.submit(() -> body.run(lo, hi));
        }
        Throwable failure = null;
        boolean[] splitting = SPLITTING.get();
        splitting[0] = true;
        try {
            body.run(0, (int) ((long) n / parts));
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            splitting[0] = false;
        }
        // every range finishes (or fails) before this returns: none may still write once the caller goes on
        for (ForkJoinTask<?> t : others) {
            try {
                t.join();
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }
}
