package dev.descent.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.nn.io.SafeTensors;
import dev.descent.tensor.DType;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writing: exact round trips of every writable dtype and shape, and the bytes of the file itself. */
class SafeTensorsWriteTest {
    @TempDir
    Path dir;

    private static final float[] FLOATS = {0f, -0f, 1.5f, -2f, Float.MIN_VALUE, Float.MAX_VALUE,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0x7FC0_1234)};
    private static final double[] DOUBLES = {0, -0.0, 0.1, -1e300, Double.MIN_VALUE, Double.MAX_VALUE,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.longBitsToDouble(0x7FF8_0000_0000_1234L)};
    private static final long[] LONGS = {0, -1, 1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 53, -(1L << 53) - 1, 42, 7, 9};

    private SafeTensors roundTrip(Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Path file = dir.resolve("t.safetensors");
        SafeTensors.write(file, tensors, metadata);
        return SafeTensors.read(file);
    }

    private static void assertBitIdentical(Tensor expected, Tensor actual, String name) {
        assertEquals(expected.dtype(), actual.dtype(), name);
        assertEquals(expected.shape(), actual.shape(), name);
        switch (expected.dtype()) {
            case FLOAT32 -> {
                int[] e = bits(expected.toFloatArray());
                assertArrayEquals(e, bits(actual.toFloatArray()), name);
            }
            case FLOAT64 -> assertArrayEquals(Arrays.stream(expected.toDoubleArray()).mapToLong(Double::doubleToRawLongBits)
                    .toArray(), Arrays.stream(actual.toDoubleArray()).mapToLong(Double::doubleToRawLongBits).toArray(), name);
            case INT64 -> assertArrayEquals(expected.toLongArray(), actual.toLongArray(), name);
            case BOOL -> assertArrayEquals(expected.toBooleanArray(), actual.toBooleanArray(), name);
        }
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }

    @Test
    void everyWritableDtypeRoundTripsBitForBitInEveryShape() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("f32", Tensor.of(FLOATS, 2, 5));
        tensors.put("f64", Tensor.of(DOUBLES, 5, 1, 2));
        tensors.put("i64", Tensor.of(LONGS));
        tensors.put("bool", Tensor.of(true, false, true, true, false, false).reshape(3, 2));
        for (DType dtype : DType.values()) {
            String n = dtype.displayName();
            tensors.put(n + ".scalar", Tensor.scalar(dtype, 1));
            tensors.put(n + ".empty", Tensor.zeros(dtype, 0));
            tensors.put(n + ".empty3d", Tensor.zeros(dtype, 2, 0, 3));
            tensors.put(n + ".ones", Tensor.ones(dtype, 1, 1, 1, 1));
        }
        SafeTensors back = roundTrip(tensors, Map.of());
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.tensors().keySet()), "the header keeps map order");
        tensors.forEach((name, t) -> assertBitIdentical(t, back.get(name), name));
        assertEquals(Shape.scalar(), back.get("bool.scalar").shape());
        assertTrue(back.metadata().isEmpty());
    }

    @Test
    void viewsAreWrittenAsTheirLogicalRowMajorElements() throws IOException {
        Tensor transposed = Tensor.arange(6).reshape(2, 3).t();
        Tensor strided = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 2, 4).slice(1, 0, 4, 2);
        SafeTensors back = roundTrip(Map.of("t", transposed, "s", strided), Map.of());
        assertArrayEquals(new long[] {0, 3, 1, 4, 2, 5}, back.get("t").toLongArray());
        assertEquals(Shape.of(3, 2), back.get("t").shape());
        assertArrayEquals(new float[] {0, 2, 4, 6}, back.get("s").toFloatArray());
    }

    @Test
    void largeTensorsRoundTripAcrossTheWritersBuffer() throws IOException {
        Tensor big = Tensor.randn(new Rng(5), DType.FLOAT64, 300, 1001);
        Tensor mask = big.gt(0);
        SafeTensors back = roundTrip(Map.of("big", big, "mask", mask), Map.of());
        assertBitIdentical(big, back.get("big"), "big");
        assertBitIdentical(mask, back.get("mask"), "mask");
    }

    @Test
    void theFileIsExactlyLengthPaddedHeaderAndLittleEndianData() throws IOException {
        Path file = dir.resolve("exact.safetensors");
        SafeTensors.write(file, Map.of("a", Tensor.of(1.5f, -2f)), Map.of("k", "v"));
        byte[] bytes = Files.readAllBytes(file);

        String json = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        int padded = (json.length() + 7) / 8 * 8;
        ByteBuffer expected = ByteBuffer.allocate(8 + padded + 8).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(padded).put(json.getBytes(StandardCharsets.US_ASCII));
        while (expected.position() < 8 + padded) {
            expected.put((byte) ' ');
        }
        expected.putFloat(1.5f).putFloat(-2f);
        assertArrayEquals(expected.array(), bytes);
        assertEquals(0, padded % 8);
        assertTrue(padded > json.length(), "this header needs padding, so the padding is exercised");
    }

    @Test
    void dataIsLaidOutLargestElementFirstSoEveryTensorIsAligned() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("flag", Tensor.of(true, false, true));
        tensors.put("w", Tensor.ones(5));
        tensors.put("idx", Tensor.of(3L, 4L));
        tensors.put("d", Tensor.of(0.25));
        Path file = dir.resolve("aligned.safetensors");
        SafeTensors.write(file, tensors);

        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "the data starts 8-aligned");
        JsonNode header = new ObjectMapper().readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        List<String> names = iterate(header.fieldNames());
        assertEquals(List.of("flag", "w", "idx", "d"), names, "the header keeps the caller's order");
        assertEquals("[44,47]", header.get("flag").get("data_offsets").toString());
        assertEquals("[24,44]", header.get("w").get("data_offsets").toString());
        assertEquals("[0,16]", header.get("idx").get("data_offsets").toString());
        assertEquals("[16,24]", header.get("d").get("data_offsets").toString());
        assertEquals("BOOL", header.get("flag").get("dtype").asText());
        assertEquals("I64", header.get("idx").get("dtype").asText());
        assertEquals(8 + n + 47, bytes.length);
        assertEquals(0.25, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getDouble((int) (8 + n + 16)));
    }

    private static List<String> iterate(Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void namesAndMetadataNeedingEscapesRoundTrip() throws IOException {
        String odd = "layer \"ü\" \\ \n\t 名前 \u0001";
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("quote\"", "line\nbreak");
        metadata.put("", "empty key");
        SafeTensors back = roundTrip(Map.of(odd, Tensor.of(1f)), metadata);
        assertEquals(List.of(odd), List.copyOf(back.tensors().keySet()));
        assertEquals(metadata, back.metadata());
        assertEquals(List.copyOf(metadata.keySet()), List.copyOf(back.metadata().keySet()));
    }

    @Test
    void invalidArgumentsAreRejectedBeforeAnyFileIsMade() {
        Path file = dir.resolve("never.safetensors");
        Map<String, Tensor> reserved = Map.of("__metadata__", Tensor.of(1f));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, reserved))
                .getMessage().contains("'__metadata__' cannot name a tensor"));
        Map<String, Tensor> nullTensor = new LinkedHashMap<>();
        nullTensor.put("x", null);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, nullTensor))
                .getMessage().contains("tensor 'x' is null"));
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, Map.of(), nullValue));
        assertFalse(Files.exists(file));
    }

    @Test
    void modelsSaveAndLoadByStateDictName() throws IOException {
        Sequential saved = new Sequential(new Linear(3, 4, new Rng(1)), new ReLU(), new Linear(4, 2, new Rng(2)));
        Path file = dir.resolve("model.safetensors");
        SafeTensors.saveModel(file, saved);
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"),
                List.copyOf(SafeTensors.read(file).tensors().keySet()));

        Sequential loaded = new Sequential(new Linear(3, 4, new Rng(8)), new ReLU(), new Linear(4, 2, new Rng(9)));
        SafeTensors.loadModel(file, loaded);
        saved.stateDict().forEach((name, t) -> assertBitIdentical(t, loaded.stateDict().get(name), name));

        Sequential other = new Sequential(new Linear(3, 5, new Rng(1)), new ReLU(), new Linear(5, 2, new Rng(2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.loadModel(file, other));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("shape mismatch for 0.weight"),
                e.getMessage());
    }
}
