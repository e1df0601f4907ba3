package dev.descent.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/** One line naming the machine a measurement ran on, so that figures are never quoted without it. */
public final class Machine {
    private Machine() {
    }

    /** CPU model (where Linux says), cores, operating system, JVM and OpenBLAS versions. */
    public static String describe() {
        Loader.load(openblas_nolapack.class);
        return cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                + openblas_nolapack.OPENBLAS_VERSION.trim();
    }

    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                return lines.filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim().replaceAll("\\s+", " "))
                        .findFirst().orElse("unknown CPU");
            } catch (IOException | RuntimeException e) {
                return "unknown CPU";
            }
        }
        return "unknown CPU";
    }
}
