package dev.descent.nn;

import dev.descent.nn.io.MalformedFileException;
import dev.descent.nn.io.SafeTensors;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.descent.nn.SafeTensorsReadTest.craft;
import static dev.descent.nn.SafeTensorsReadTest.littleEndian;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Malformed files, each made by corrupting a good one in one way, are rejected with a
 * {@link MalformedFileException} that names the file and the problem; never with an index error, an
 * out-of-memory error or a silently wrong tensor.
 */
class SafeTensorsMalformedTest {
    @TempDir
    Path dir;

    /** The good file every case corrupts: an F32 [2] tensor, then an I8 [3] one. */
    private static final String GOOD = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"I8\",\"shape\":[3],\"data_offsets\":[8,11]}}";
    private static final byte[] DATA = ByteBuffer.allocate(11).order(ByteOrder.LITTLE_ENDIAN)
            .putFloat(1).putFloat(2).put(new byte[] {-1, 0, 1}).array();

    private static Arguments header(String what, UnaryOperator<String> edit, String message) {
        return Arguments.of(what, (UnaryOperator<byte[]>) good -> craft(edit.apply(GOOD), DATA), message);
    }

    private static Arguments bytes(String what, UnaryOperator<byte[]> edit, String message) {
        return Arguments.of(what, edit, message);
    }

    private static byte[] withLength(byte[] file, long headerLength) {
        byte[] out = file.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerLength);
        return out;
    }

    static Stream<Arguments> corruptions() {
        return Stream.of(
                bytes("truncated header length", f -> Arrays.copyOf(f, 5), "the file has 5 bytes, too few for the 8-byte"),
                bytes("empty file", f -> new byte[0], "the file has 0 bytes"),
                bytes("header length beyond the file", f -> withLength(f, f.length - 7),
                        "reaches beyond the end of the file"),
                bytes("header length of 2^64 - 1", f -> withLength(f, -1),
                        "the header length 18446744073709551615 reaches beyond the end of the file"),
                header("invalid JSON", h -> h.replace("\"a\":{", "\"a\"{"), "the header is not valid JSON"),
                bytes("header not UTF-8", f -> replaceFirst(f, (byte) 'a', (byte) 0xFF), "the header is not valid UTF-8"),
                header("header not an object", h -> "[1, 2]", "the header is not a JSON object"),
                header("text after the object", h -> h + " {}", "the header has more after its JSON object"),
                header("unknown dtype", h -> h.replace("\"F32\"", "\"X32\""), "tensor 'a': dtype 'X32' is unknown"),
                header("float8 dtype", h -> h.replace("\"I8\"", "\"F8_E4M3\""), "dtype 'F8_E4M3' is unknown or not supported"),
                header("shape and offsets disagree", h -> h.replace("[2]", "[3]"),
                        "tensor 'a': shape [3] of F32 needs 12 bytes, but data_offsets [0, 8] span 8"),
                header("overlapping offsets", h -> h.replace("[8,11]", "[4,7]"),
                        "tensors 'a' [0, 8] and 'b' [4, 7] overlap"),
                header("offsets out of range", h -> h.replace("[8,11]", "[20,23]"),
                        "tensor 'b': data_offsets [20, 23] reach beyond the 11 bytes of data after the header"),
                bytes("truncated data", f -> Arrays.copyOf(f, f.length - 2),
                        "tensor 'b': data_offsets [8, 11] reach beyond the 9 bytes of data after the header (is the file truncated?)"),
                header("duplicate name", h -> h.replace("\"b\":", "\"a\":"), "the header names 'a' twice"),
                header("gap between tensors", h -> h.replace("\"shape\":[3],\"data_offsets\":[8,11]",
                        "\"shape\":[2],\"data_offsets\":[9,11]"), "bytes [8, 9) of the data belong to no tensor"),
                bytes("bytes after the last tensor", f -> Arrays.copyOf(f, f.length + 3), "3 bytes follow the last tensor's data"),
                header("reversed offsets", h -> h.replace("[8,11]", "[11,8]"), "data_offsets [11, 8] end before they begin"),
                header("negative dimension", h -> h.replace("[3]", "[-3]"), "shape holds -3, not an integer from 0 to"),
                header("fractional offset", h -> h.replace("[8,11]", "[8,11.0]"), "data_offsets holds 11.0, not an integer"),
                header("offset beyond a long", h -> h.replace("[8,11]", "[8,99999999999999999999]"),
                        "data_offsets holds 99999999999999999999"),
                header("three offsets", h -> h.replace("[8,11]", "[8,11,12]"), "data_offsets must be [begin, end], got 3"),
                header("missing dtype", h -> h.replace("\"dtype\":\"I8\",", ""), "tensor 'b': its entry needs dtype, shape"),
                header("dtype given twice", h -> h.replace("\"dtype\":\"I8\"", "\"dtype\":\"I8\",\"dtype\":\"U8\""),
                        "tensor 'b': dtype is given twice"),
                header("entry not an object", h -> "{\"a\":[1]}", "tensor 'a': its entry is not a JSON object"),
                header("shape too large", h -> h.replace("[3]", "[65536,65536]"), "is larger than a tensor can be"),
                header("metadata value not a string", h -> "{\"__metadata__\":{\"k\":1}," + h.substring(1),
                        "__metadata__ value 'k' is not a string"),
                header("metadata not an object", h -> "{\"__metadata__\":\"x\"," + h.substring(1),
                        "__metadata__ is not a JSON object"),
                bytes("BOOL byte other than 0 or 1", f -> craft("{\"m\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[0,2]}}",
                        new byte[] {1, 2}), "tensor 'm': element 1 is the byte 2, but a BOOL is stored as 0 or 1"),
                bytes("U64 beyond INT64", f -> craft("{\"u\":{\"dtype\":\"U64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
                        littleEndian(8, Long.MIN_VALUE)), "beyond the INT64 range"));
    }

    private static byte[] replaceFirst(byte[] file, byte from, byte to) {
        byte[] out = file.clone();
        for (int i = 8; i < out.length; i++) {
            if (out[i] == from) {
                out[i] = to;
                return out;
            }
        }
        throw new IllegalArgumentException("no such byte");
    }

    @Test
    void theUncorruptedFileIsValid() throws IOException {
        SafeTensors st = SafeTensors.read(Files.write(dir.resolve("good.safetensors"), craft(GOOD, DATA)));
        assertEquals(2, st.tensors().size());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void corruptedFilesAreRejectedWithAClearMessage(String what, UnaryOperator<byte[]> corrupt, String message)
            throws IOException {
        Path file = Files.write(dir.resolve("corrupt.safetensors"), corrupt.apply(craft(GOOD, DATA)));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> SafeTensors.read(file), what);
        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(message),
                what + ": " + e.getMessage());
    }

    @Test
    void aHeaderLongerThanTheFormatsLimitIsRejectedBeforeItIsRead() throws IOException {
        Path file = dir.resolve("huge.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            // sparse: the file is long enough for the claimed header but takes no space
            raf.setLength(150_000_016L);
            raf.write(littleEndian(8, 150_000_000L));
        }
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().contains("the header length 150000000 exceeds the format's limit of 100000000 bytes"),
                e.getMessage());
    }

    /** A written file with every dtype, for the exhaustive corruption sweeps. */
    private byte[] writtenFile() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.randn(new Rng(1), 3, 2));
        tensors.put("d", Tensor.of(1.0, 2.0));
        tensors.put("i", Tensor.of(5L, -5L));
        tensors.put("m", Tensor.of(true, false));
        Path file = dir.resolve("written.safetensors");
        SafeTensors.write(file, tensors, Map.of("k", "v"));
        return Files.readAllBytes(file);
    }

    @Test
    void everyTruncationIsRejected() throws IOException {
        byte[] good = writtenFile();
        Path file = dir.resolve("cut.safetensors");
        for (int length = 0; length < good.length; length++) {
            Files.write(file, Arrays.copyOf(good, length));
            int cut = length;
            assertThrows(MalformedFileException.class, () -> SafeTensors.read(file), () -> "cut at " + cut);
        }
    }

    @Test
    void everySingleByteChangeInTheHeaderIsReadOrRejectedNeverCrashes() throws IOException {
        byte[] good = writtenFile();
        int headerEnd = 8 + (int) ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Path file = dir.resolve("flipped.safetensors");
        int rejected = 0;
        for (int i = 0; i < headerEnd; i++) {
            for (byte b : new byte[] {0, '}', '9', (byte) 0xC3}) {
                byte[] bad = good.clone();
                bad[i] = b;
                Files.write(file, bad);
                try {
                    SafeTensors.read(file);
                } catch (MalformedFileException expected) {
                    rejected++;
                } catch (Throwable t) {
                    fail("byte " + i + " set to " + b + ": " + t, t);
                }
            }
        }
        assertTrue(rejected > headerEnd, "most changes break the file: " + rejected);
        assertDoesNotThrow(() -> SafeTensors.read(Files.write(file, good)));
    }
}
