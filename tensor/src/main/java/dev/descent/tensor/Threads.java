package dev.descent.tensor;

/**
 * The one thread setting of Descent: how many threads OpenBLAS and the elementwise kernels use. Read at
 * start-up from the system property {@code descent.threads}, else the environment variable
 * {@code DESCENT_THREADS}, else the number of available processors; changeable at run time.
 */
public final class Threads {
    private static volatile int count = initial();

    private Threads() {
    }

    private static int initial() {
        String value = System.getProperty("descent.threads");
        String source = "-Ddescent.threads";
        if (value == null || value.isBlank()) {
            value = System.getenv("DESCENT_THREADS");
            source = "DESCENT_THREADS";
        }
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(source + ": expected a positive integer, got '" + value + "'");
    }

    /** The current thread count. */
    public static int get() {
        return count;
    }

    /** Sets the thread count of every backend. */
    public static void set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("Threads.set: expected a positive thread count, got " + threads);
        }
        count = threads;
        for (Backend b : Backends.all()) {
            b.setThreads(threads);
        }
    }
}
