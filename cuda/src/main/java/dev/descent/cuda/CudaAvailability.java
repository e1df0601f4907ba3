package dev.descent.cuda;

/**
 * Whether a CUDA device can be used, probed once per JVM. The probe never throws: a missing driver
 * ({@code libcuda.so.1}), missing natives (the {@code gpu} profile's jars), a failed class initialisation
 * or a driver that reports no device all give {@code available = false} and a reason that says which.
 * Setting the system property {@code descent.cuda.disable=true} turns the backend off without probing.
 */
public final class CudaAvailability {
    /** The system property that turns the CUDA backend off. */
    public static final String DISABLE_PROPERTY = "descent.cuda.disable";

    private static volatile Status status;

    private CudaAvailability() {
    }

    /** The outcome of a probe: whether CUDA is usable, how many devices the driver reports, and why not. */
    public record Status(boolean available, int deviceCount, String reason) {
    }

    /** Counts the devices; may fail with any {@link Throwable} when natives or driver are missing. */
    @FunctionalInterface
    interface DeviceCounter {
        int count();
    }

    /** True when the natives load and at least one device is present. */
    public static boolean isAvailable() {
        return status().available();
    }

    /** Why CUDA is unavailable, or a description of what was found when it is. */
    public static String reason() {
        return status().reason();
    }

    /** The cached probe result. */
    public static Status status() {
        Status s = status;
        if (s == null) {
            synchronized (CudaAvailability.class) {
                s = status;
                if (s == null) {
                    s = Boolean.getBoolean(DISABLE_PROPERTY)
                            ? new Status(false, 0, "CUDA disabled by -D" + DISABLE_PROPERTY + "=true")
                            : probe(CudaRuntime::deviceCount);
                    status = s;
                }
            }
        }
        return s;
    }

    /** Runs {@code counter} and turns every way it can fail into a reason. */
    static Status probe(DeviceCounter counter) {
        int n;
        try {
            n = counter.count();
        } catch (UnsatisfiedLinkError e) {
            return new Status(false, 0, "CUDA natives or driver not found (" + e.getMessage()
                    + "); build with -Pgpu and run on a machine with an NVIDIA driver");
        } catch (NoClassDefFoundError | ExceptionInInitializerError e) {
            return new Status(false, 0, "CUDA classes failed to initialise (" + e
                    + "); the natives or the driver are missing");
        } catch (LinkageError | RuntimeException e) {
            return new Status(false, 0, "CUDA probe failed: " + e);
        }
        if (n <= 0) {
            return new Status(false, 0, "the CUDA driver loaded but reports no device");
        }
        return new Status(true, n, n + " CUDA device(s) found");
    }
}
