package dev.descent.cuda;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Compiled kernels of one device, keyed by kernel name: a name identifies its source (see
 * {@link KernelSources}) and the device fixes the architecture, so each kernel is compiled once per
 * device and process. {@code F} is the loaded function handle; a fake compiler makes this testable.
 *
 * @param <F> the compiled kernel's handle
 */
public final class KernelCache<F> {
    /** Compiles a kernel source for this cache's architecture and returns its loaded handle. */
    @FunctionalInterface
    public interface Compiler<F> {
        F compile(KernelSource source, int computeCapability);
    }

    private final Compiler<F> compiler;
    private final int computeCapability;
    private final ConcurrentHashMap<String, F> compiled = new ConcurrentHashMap<>();

    /** A cache compiling with {@code compiler} for {@code computeCapability} (major * 10 + minor). */
    public KernelCache(Compiler<F> compiler, int computeCapability) {
        this.compiler = compiler;
        this.computeCapability = computeCapability;
    }

    /** The kernel named {@code name}, compiled from {@code source} the first time it is asked for. */
    public F get(String name, Supplier<KernelSource> source) {
        return compiled.computeIfAbsent(name, n -> {
            KernelSource s = source.get();
            if (!s.name().equals(n)) {
                throw new IllegalArgumentException("KernelCache.get: key " + n + " but source of " + s.name());
            }
            return compiler.compile(s, computeCapability);
        });
    }

    /** The kernel for {@code source}, keyed by its name. */
    public F get(KernelSource source) {
        return get(source.name(), () -> source);
    }

    /** How many kernels have been compiled. */
    public int size() {
        return compiled.size();
    }

    /** The architecture flag NVRTC gets, e.g. {@code --gpu-architecture=sm_90}. */
    public static String archOption(int computeCapability) {
        if (computeCapability < 50) {
            throw new IllegalArgumentException("KernelCache.archOption: compute capability " + computeCapability
                    + " is below 5.0, which CUDA 13 no longer supports");
        }
        return "--gpu-architecture=sm_" + computeCapability;
    }
}
