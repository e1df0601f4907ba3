package dev.descent.nn;

import dev.descent.nn.io.SafeTensors;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * Saving is atomic: a save that fails at any point leaves the previous file byte for byte as it was and no
 * temporary file behind; a save that succeeds replaces the file whole.
 */
class SafeTensorsAtomicTest {
    @TempDir
    Path dir;

    private Path file;
    private byte[] previous;

    private void writePrevious() throws IOException {
        file = dir.resolve("model.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.randn(new Rng(1), 4, 4)), Map.of("version", "old"));
        previous = Files.readAllBytes(file);
    }

    private void assertPreviousIntactAndNoLeftovers() throws IOException {
        assertArrayEquals(previous, Files.readAllBytes(file));
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of(file), entries.toList(), "no temporary file is left behind");
        }
    }

    private static Map<String, Tensor> bigState() {
        return Map.of("w", Tensor.randn(new Rng(2), DType.FLOAT64, 512, 1024));
    }

    @Test
    void aSaveThatFailsWhileWritingLeavesThePreviousFile() throws IOException {
        writePrevious();
        // an interrupted thread's channel fails on its next write (ClosedByInterruptException): the save
        // fails after the temporary file is made and while its content is being written
        Thread.currentThread().interrupt();
        try {
            assertThrows(ClosedByInterruptException.class, () -> SafeTensors.write(file, bigState()));
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt status is kept for the caller");
        }
        assertPreviousIntactAndNoLeftovers();
    }

    @Test
    void aSaveWhoseTensorsFailToEnumerateLeavesThePreviousFile() throws IOException {
        writePrevious();
        Map<String, Tensor> failing = new AbstractMap<>() {
            @Override
            public Set<Entry<String, Tensor>> entrySet() {
                return new AbstractSet<>() {
                    @Override
                    public Iterator<Entry<String, Tensor>> iterator() {
                        return Stream.<Entry<String, Tensor>>generate(() -> {
                            throw new IllegalStateException("state dict changed during save");
                        }).iterator();
                    }

                    @Override
                    public int size() {
                        return 1;
                    }
                };
            }
        };
        assertThrows(IllegalStateException.class, () -> SafeTensors.write(file, failing));
        assertPreviousIntactAndNoLeftovers();
    }

    @Test
    void aSaveIntoAReadOnlyDirectoryLeavesThePreviousFile() throws IOException {
        writePrevious();
        Set<PosixFilePermission> writable = Files.getPosixFilePermissions(dir);
        Files.setPosixFilePermissions(dir, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE));
        try {
            assumeFalse(Files.isWritable(dir), "permissions do not bind this user (root)");
            assertThrows(IOException.class, () -> SafeTensors.write(file, bigState()));
        } finally {
            Files.setPosixFilePermissions(dir, writable);
        }
        assertPreviousIntactAndNoLeftovers();
    }

    @Test
    void aSaveOverADirectoryFailsAndLeavesItAlone() throws IOException {
        Path target = Files.createDirectory(dir.resolve("taken"));
        Files.write(target.resolve("inside"), new byte[] {1});
        assertThrows(IOException.class, () -> SafeTensors.write(target, bigState()));
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(target.resolve("inside")));
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of(target), entries.toList());
        }
    }

    @Test
    void aSaveIntoAMissingDirectoryFails() {
        assertThrows(NoSuchFileException.class, () -> SafeTensors.write(dir.resolve("no/such.safetensors"), bigState()));
    }

    @Test
    void aSuccessfulSaveReplacesTheFileWholeWithOrdinaryPermissions() throws IOException {
        writePrevious();
        SafeTensors.write(file, bigState(), Map.of("version", "new"));
        assertEquals(Map.of("version", "new"), SafeTensors.read(file).metadata());
        try (Stream<Path> entries = Files.list(dir)) {
            assertEquals(List.of(file), entries.toList());
        }
        Path plain = Files.write(dir.resolve("plain"), new byte[0]);
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file),
                "the rename target has the permissions of a file created the ordinary way, not a private temp file's");
    }
}
