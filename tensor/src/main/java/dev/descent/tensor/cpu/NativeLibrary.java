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
 * bridge, {@link NativeGemm}; the softmax row kernels), compiled with the module when gcc is there. It is loaded
 * once, after JavaCPP's OpenBLAS, whose functions it receives as addresses ({@link #address}) rather than
 * linking against them. Every user has a Java path for when the library is missing: {@link #problem()} says
 * why it is.
 */
final class NativeLibrary {
    private static final String LIBRARY = "linux-x86_64/libdescent_native.so";
    private static final String PROBLEM = load();

    private NativeLibrary() {
    }

    private static String load() {
        try {
            Loader.load(openblas_nolapack.class);
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
            return null;
        } catch (IOException | URISyntaxException | LinkageError | RuntimeException e) {
            return "the native library failed to load: " + e;
        }
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
