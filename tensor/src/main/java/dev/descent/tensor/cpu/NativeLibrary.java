package dev.descent.tensor.cpu;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Descent's own native library, {@code libdescent_native.so}: the C files of {@code src/main/c} (the GEMM
 * bridge, {@link NativeGemm}; the row kernels; the per-sample convolutions, {@link NativeConvSamples}), compiled
 * with the module when gcc is there. It is loaded once, just before JavaCPP's OpenBLAS, whose functions it
 * receives as addresses ({@link #address}) rather than linking against them. Every user has a Java path for when the library is missing: {@link #problem()} says
 * why it is.
 *
 * <p>Our library is loaded just before OpenBLAS, so that it can set {@code OPENBLAS_THREAD_TIMEOUT} (unless the
 * environment already has it) to {@value #OPENBLAS_THREAD_TIMEOUT}, or to the system property
 * {@code descent.openblas.threadTimeout}: after each product, OpenBLAS's threads spin for 2^timeout cycles before
 * they sleep, 2^28 (about 0.1 s) by default, and on a machine with as many cores as threads a spinning BLAS thread
 * takes the core a Java pool thread needs. The cnn benchmark step at 2 threads, whose convolutions run on the
 * Java pool after its linear layers ran on OpenBLAS, took 31 - 35 ms with OpenBLAS's default and 25 ms with 2^18
 * (2 cores); the mlp and transformer steps were the same within noise from 2^12 to 2^28, and the MLP gradient
 * was about 10 % slower at 2^12 than at 2^18 - 2^28. OpenBLAS loaded before Descent keeps its own setting.
 */
final class NativeLibrary {
    private static final String LIBRARY = "linux-x86_64/libdescent_native.so";
    /**
     * OpenBLAS's spin before its threads sleep, as log2 of cycles (2^18: about 0.1 ms at 2.6 GHz): long enough to
     * stay awake between products that follow each other, short enough to leave the core to a Java phase of
     * milliseconds (a convolution).
     */
    static final int OPENBLAS_THREAD_TIMEOUT = 18;
    private static final String PROBLEM = load();
    private static final boolean AVX512 = PROBLEM == null && avx512();

    private NativeLibrary() {
    }

    private static String load() {
        String problem = loadOwn();
        try {
            Loader.load(openblas_nolapack.class);
        } catch (LinkageError | RuntimeException e) {
            return "OpenBLAS failed to load: " + e;
        }
        return problem;
    }

    /** Loads our library and sets OpenBLAS's thread timeout; why it could not, or null. */
    private static String loadOwn() {
        try {
            URL url = NativeLibrary.class.getResource(LIBRARY);
            if (url == null) {
                return "the native library " + LIBRARY + " was not built (no gcc or JNI headers when Descent was"
                        + " compiled, or not Linux x86_64)";
            }
            // a library in a class folder (a build's target/classes) is loaded where it is: JavaCPP's cache would
            // copy every checkout's to one shared file, so two builds side by side could load each other's.
            // One inside a jar is extracted to the cache, under the jar's own name.
            File file = "file".equals(url.getProtocol()) ? new File(url.toURI())
                    : Loader.cacheResource(NativeLibrary.class, LIBRARY);
            System.load(file.getAbsolutePath());
            setDefaultEnvironment("OPENBLAS_THREAD_TIMEOUT",
                    Integer.toString(Integer.getInteger("descent.openblas.threadTimeout", OPENBLAS_THREAD_TIMEOUT)));
            return null;
        } catch (IOException | URISyntaxException | LinkageError | RuntimeException e) {
            return "the native library failed to load: " + e;
        }
    }

    /** Sets an environment variable of this process unless it is set already. */
    private static native void setDefaultEnvironment(String name, String value);

    private static native boolean avx512();

    /** Whether the library loaded and the processor runs its AVX-512 kernels ({@link NativeConvSamples}, {@link NativePool}). */
    static boolean hasAvx512() {
        return AVX512;
    }

    /** Why the library is not available, or null when it loaded. */
    static String problem() {
        return PROBLEM;
    }

    /** The address of a symbol of JavaCPP's OpenBLAS, 0 when it has none. */
    static long address(String symbol) {
        try {
            Pointer p = Loader.addressof(symbol);
            return p == null ? 0 : p.address();
        } catch (LinkageError | RuntimeException e) {
            return 0;
        }
    }
}
