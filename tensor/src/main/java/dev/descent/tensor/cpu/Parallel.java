package dev.descent.tensor.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;

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

    /** Runs {@code body} over [0, n), split into at most one range per thread when {@code n >= grain}. */
    static void forRange(int n, int grain, RangeBody body) {
        ForkJoinPool p = pool;
        int parts = p == null ? 1 : Math.min(threads, n / Math.max(grain, 1));
        if (parts <= 1 || Thread.currentThread() instanceof ForkJoinWorkerThread) {
            body.run(0, n);
            return;
        }
        p.invoke(new Split(body, n, parts, 0, parts));
    }

    /** Splits [0, n) into {@code parts} equal ranges and runs parts [lo, hi) of them. */
    private static final class Split extends RecursiveAction {
        private final RangeBody body;
        private final int n;
        private final int parts;
        private final int lo;
        private final int hi;

        Split(RangeBody body, int n, int parts, int lo, int hi) {
            this.body = body;
            this.n = n;
            this.parts = parts;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        protected void compute() {
            if (hi - lo == 1) {
                body.run((int) ((long) n * lo / parts), (int) ((long) n * hi / parts));
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Split(body, n, parts, lo, mid), new Split(body, n, parts, mid, hi));
        }
    }
}
