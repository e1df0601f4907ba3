package dev.descent.nn;

import dev.descent.nn.io.MalformedFileException;
import dev.descent.nn.io.SafeTensors;
import dev.descent.tensor.DType;
import dev.descent.tensor.Shape;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading: the reference library's samples of every NumPy type, exactly, and crafted files for the
 * conversions the samples do not reach (every F16 and BF16 bit pattern, the U64 and BOOL limits, data
 * longer than the reader's buffer).
 */
class SafeTensorsReadTest {
    @TempDir
    Path dir;

    /** A safetensors file of {@code json} (unpadded) and {@code data}, as bytes. */
    static byte[] craft(String json, byte[] data) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(data).array();
    }

    /** Little-endian bytes of the given values, each {@code width} bytes wide. */
    static byte[] littleEndian(int width, long... values) {
        ByteBuffer b = ByteBuffer.allocate(width * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (width) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    static Path sample(String name) throws URISyntaxException {
        return Path.of(SafeTensorsReadTest.class.getResource("/safetensors/" + name).toURI());
    }

    private Path write(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(dir, "crafted", ".safetensors"), bytes);
    }

    static Stream<Arguments> samples() {
        long[] signed = {-3, -2, -1, 0, 1, 2};
        return Stream.of(
                Arguments.of("b-int8", "b", signed),
                Arguments.of("B-uint8", "B", new long[] {253, 254, 255, 0, 1, 2}),
                Arguments.of("h-int16", "h", signed),
                Arguments.of("H-uint16", "H", new long[] {65533, 65534, 65535, 0, 1, 2}),
                Arguments.of("i-int32", "i", signed),
                Arguments.of("I-uint32", "I", new long[] {4294967293L, 4294967294L, 4294967295L, 0, 1, 2}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void integerSamplesReadAsInt64WithUnsignedValuesAsStored(String file, String name, long[] expected) throws Exception {
        SafeTensors st = SafeTensors.read(sample(file + ".safetensors"));
        assertEquals(List.of(name), List.copyOf(st.tensors().keySet()));
        assertEquals(Map.of("test", "a"), st.metadata());
        Tensor t = st.get(name);
        assertEquals(DType.INT64, t.dtype());
        assertEquals(Shape.of(6), t.shape());
        assertArrayEquals(expected, t.toLongArray());
    }

    @Test
    void floatSamplesReadExactly() throws Exception {
        float[] expected = {-3, -2, -1, 0, 1, 2};
        for (String file : List.of("e-float16", "f-float32")) {
            Tensor t = SafeTensors.read(sample(file + ".safetensors")).get(file.substring(0, 1));
            assertEquals(DType.FLOAT32, t.dtype(), file);
            assertArrayEquals(expected, t.toFloatArray(), file);
        }
        Tensor d = SafeTensors.read(sample("d-float64.safetensors")).get("d");
        assertEquals(DType.FLOAT64, d.dtype());
        assertArrayEquals(new double[] {-3, -2, -1, 0, 1, 2}, d.toDoubleArray());
    }

    @Test
    void overallSampleHoldsEveryTypeInHeaderOrder() throws Exception {
        SafeTensors st = SafeTensors.read(sample("overall.safetensors"));
        assertEquals(List.of("B", "H", "I", "b", "d", "e", "f", "h", "i"), List.copyOf(st.tensors().keySet()));
        assertEquals(Map.of("test", "a"), st.metadata());
        for (String file : List.of("b-int8", "B-uint8", "h-int16", "H-uint16", "i-int32", "I-uint32", "e-float16",
                "f-float32", "d-float64")) {
            String name = file.substring(0, 1);
            Tensor single = SafeTensors.read(sample(file + ".safetensors")).get(name);
            Tensor inOverall = st.get(name);
            assertEquals(single.dtype(), inOverall.dtype(), name);
            assertArrayEquals(single.toDoubleArray(), inOverall.toDoubleArray(), name);
        }
        assertTrue(st.toString().contains("I=int64[6]"), st.toString());
    }

    @Test
    void everyHalfPrecisionBitPatternConvertsExactly() throws IOException {
        long[] patterns = new long[1 << 16];
        for (int i = 0; i < patterns.length; i++) {
            patterns[i] = i;
        }
        for (String dtype : List.of("F16", "BF16")) {
            String json = "{\"x\":{\"dtype\":\"" + dtype + "\",\"shape\":[65536],\"data_offsets\":[0,131072]}}";
            float[] got = SafeTensors.read(write(craft(json, littleEndian(2, patterns)))).get("x").toFloatArray();
            for (int bits = 0; bits < patterns.length; bits++) {
                float expected = dtype.equals("F16") ? binary16(bits) : bfloat16(bits);
                if (Float.isNaN(expected)) {
                    assertTrue(Float.isNaN(got[bits]), dtype + " " + Integer.toHexString(bits));
                    assertEquals(bits >>> 15, Float.floatToRawIntBits(got[bits]) >>> 31, "sign of a NaN");
                } else {
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got[bits]),
                            dtype + " " + Integer.toHexString(bits));
                }
            }
        }
    }

    /** IEEE binary16 from its definition: sign, 5 exponent bits (bias 15), 10 fraction bits. */
    private static float binary16(int bits) {
        return fromFields(bits >>> 15, (bits >>> 10) & 0x1F, bits & 0x3FF, 5, 10);
    }

    /** bfloat16 from its definition: sign, 8 exponent bits (bias 127), 7 fraction bits. */
    private static float bfloat16(int bits) {
        return fromFields(bits >>> 15, (bits >>> 7) & 0xFF, bits & 0x7F, 8, 7);
    }

    private static float fromFields(int sign, int exponent, int fraction, int exponentBits, int fractionBits) {
        int bias = (1 << (exponentBits - 1)) - 1;
        double s = sign == 1 ? -1.0 : 1.0;
        if (exponent == (1 << exponentBits) - 1) {
            return fraction == 0 ? (float) (s * Double.POSITIVE_INFINITY) : Float.NaN;
        }
        double f = fraction / (double) (1 << fractionBits);
        double magnitude = exponent == 0 ? Math.scalb(f, 1 - bias) : Math.scalb(1 + f, exponent - bias);
        return (float) (s * magnitude);
    }

    @Test
    void wideIntegersAndBooleansReadAtTheirLimits() throws IOException {
        String json = "{\"i\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"u\":{\"dtype\":\"U64\",\"shape\":[2],\"data_offsets\":[16,32]},"
                + "\"m\":{\"dtype\":\"BOOL\",\"shape\":[2,2],\"data_offsets\":[32,36]}}";
        byte[] data = ByteBuffer.allocate(36).put(littleEndian(8, Long.MIN_VALUE, Long.MAX_VALUE))
                .put(littleEndian(8, 0, Long.MAX_VALUE)).put(littleEndian(1, 1, 0, 0, 1)).array();
        SafeTensors st = SafeTensors.read(write(craft(json, data)));
        assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, st.get("i").toLongArray());
        assertArrayEquals(new long[] {0, Long.MAX_VALUE}, st.get("u").toLongArray());
        assertEquals(DType.BOOL, st.get("m").dtype());
        assertEquals(Shape.of(2, 2), st.get("m").shape());
        assertArrayEquals(new boolean[] {true, false, false, true}, st.get("m").toBooleanArray());
    }

    @Test
    void u64BeyondInt64IsRejectedNotWrapped() throws IOException {
        String json = "{\"u\":{\"dtype\":\"U64\",\"shape\":[2],\"data_offsets\":[0,16]}}";
        Path file = write(craft(json, littleEndian(8, 1, -1)));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().contains("tensor 'u': element 1 is the U64 value 18446744073709551615, beyond the "
                + "INT64 range"), e.getMessage());
    }

    @Test
    void dataLongerThanTheReadBufferIsReadAcrossChunks() throws IOException {
        int n = 700_000;
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = (i * 7919L) & 0xFFFF;
        }
        String json = "{\"u\":{\"dtype\":\"U16\",\"shape\":[700,1000],\"data_offsets\":[0," + 2 * n + "]}}";
        Tensor t = SafeTensors.read(write(craft(json, littleEndian(2, values)))).get("u");
        assertEquals(Shape.of(700, 1000), t.shape());
        assertArrayEquals(values, t.toLongArray());
    }

    @Test
    void emptyFilesAndEmptyTensorsAreValid() throws IOException {
        assertTrue(SafeTensors.read(write(craft("{}", new byte[0]))).tensors().isEmpty());
        String json = "{\"__metadata__\":{},\"e\":{\"dtype\":\"F16\",\"shape\":[0,3],\"data_offsets\":[0,0]},"
                + "\"s\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[0,4]},"
                + "\"z\":{\"dtype\":\"BOOL\",\"shape\":[0],\"data_offsets\":[4,4]}}";
        SafeTensors st = SafeTensors.read(write(craft(json, littleEndian(4, -7))));
        assertEquals(Shape.of(0, 3), st.get("e").shape());
        assertEquals(Shape.scalar(), st.get("s").shape());
        assertEquals(-7, st.get("s").item());
        assertEquals(0, st.get("z").numel());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> st.get("nope"));
        assertTrue(missing.getMessage().contains("[e, s, z]"), missing.getMessage());
    }
}
