package dev.descent.nn.io;

import dev.descent.tensor.DType;
import java.nio.ByteBuffer;

/**
 * The element types of the safetensors format that Descent reads, by their names in the header, and the
 * Descent dtype each is read into. Every conversion is exact: integers of up to 32 bits (signed or not)
 * fit in INT64, and every F16 and BF16 value is a FLOAT32 value. U64 values above {@code Long.MAX_VALUE}
 * have no INT64 counterpart and are rejected rather than wrapped.
 *
 * <p>The 8-bit float types and the complex types of newer format versions are not read: Descent has no
 * dtype to hold them.
 */
enum FileDType {
    BOOL(1, DType.BOOL),
    U8(1, DType.INT64),
    I8(1, DType.INT64),
    I16(2, DType.INT64),
    U16(2, DType.INT64),
    I32(4, DType.INT64),
    U32(4, DType.INT64),
    I64(8, DType.INT64),
    U64(8, DType.INT64),
    F16(2, DType.FLOAT32),
    BF16(2, DType.FLOAT32),
    F32(4, DType.FLOAT32),
    F64(8, DType.FLOAT64);

    final int byteSize;
    final DType target;

    FileDType(int byteSize, DType target) {
        this.byteSize = byteSize;
        this.target = target;
    }

    /** The type named {@code name} in a header, or null when Descent does not read it. */
    static FileDType forName(String name) {
        for (FileDType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** The type a tensor of {@code dtype} is written as: the one that holds it without conversion. */
    static FileDType forWriting(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> F32;
            case FLOAT64 -> F64;
            case INT64 -> I64;
            case BOOL -> BOOL;
        };
    }

    /** A zero-filled host array of the target dtype. */
    Object newArray(int length) {
        return switch (target) {
            case FLOAT32 -> new float[length];
            case FLOAT64 -> new double[length];
            case INT64 -> new long[length];
            case BOOL -> new boolean[length];
        };
    }

    /**
     * Reads {@code n} little-endian elements from {@code in} (positioned at the first) into {@code out[off ..
     * off + n)}.
     *
     * @param context the file and tensor, for the message of a value the target dtype cannot hold
     */
    void decode(ByteBuffer in, Object out, int off, int n, String context) throws MalformedFileException {
        switch (this) {
            case BOOL -> {
                boolean[] a = (boolean[]) out;
                for (int i = 0; i < n; i++) {
                    byte b = in.get();
                    if (b != 0 && b != 1) {
                        throw new MalformedFileException(context + ": element " + (off + i) + " is the byte "
                                + (b & 0xFF) + ", but a BOOL is stored as 0 or 1");
                    }
                    a[off + i] = b == 1;
                }
            }
            case U8, I8, U16, I16, U32, I32 -> decodeSmallIntegers(in, (long[]) out, off, n);
            case I64 -> in.asLongBuffer().get((long[]) out, off, n);
            case U64 -> {
                long[] a = (long[]) out;
                in.asLongBuffer().get(a, off, n);
                for (int i = off; i < off + n; i++) {
                    if (a[i] < 0) {
                        throw new MalformedFileException(context + ": element " + i + " is the U64 value "
                                + Long.toUnsignedString(a[i]) + ", beyond the INT64 range Descent reads U64 into");
                    }
                }
            }
            case F16 -> {
                float[] a = (float[]) out;
                for (int i = 0; i < n; i++) {
                    a[off + i] = halfToFloat(in.getShort());
                }
            }
            case BF16 -> {
                float[] a = (float[]) out;
                for (int i = 0; i < n; i++) {
                    // bfloat16 is the upper half of a float32
                    a[off + i] = Float.intBitsToFloat((in.getShort() & 0xFFFF) << 16);
                }
            }
            case F32 -> in.asFloatBuffer().get((float[]) out, off, n);
            case F64 -> in.asDoubleBuffer().get((double[]) out, off, n);
        }
    }

    /** Integers narrower than 64 bits: signed ones sign-extended, unsigned ones zero-extended. */
    private void decodeSmallIntegers(ByteBuffer in, long[] out, int off, int n) {
        int end = off + n;
        switch (this) {
            case U8 -> { for (int i = off; i < end; i++) { out[i] = in.get() & 0xFFL; } }
            case I8 -> { for (int i = off; i < end; i++) { out[i] = in.get(); } }
            case U16 -> { for (int i = off; i < end; i++) { out[i] = in.getShort() & 0xFFFFL; } }
            case I16 -> { for (int i = off; i < end; i++) { out[i] = in.getShort(); } }
            case U32 -> { for (int i = off; i < end; i++) { out[i] = in.getInt() & 0xFFFF_FFFFL; } }
            case I32 -> { for (int i = off; i < end; i++) { out[i] = in.getInt(); } }
            default -> throw new IllegalStateException(this + " is not a small integer type");
        }
    }

    /** Writes {@code in[off .. off + n)} of this (writable) type to {@code out} as little-endian elements. */
    void encode(Object in, int off, int n, ByteBuffer out) {
        switch (this) {
            case BOOL -> {
                boolean[] a = (boolean[]) in;
                for (int i = off; i < off + n; i++) {
                    out.put(a[i] ? (byte) 1 : (byte) 0);
                }
            }
            case I64 -> out.asLongBuffer().put((long[]) in, off, n);
            case F32 -> out.asFloatBuffer().put((float[]) in, off, n);
            case F64 -> out.asDoubleBuffer().put((double[]) in, off, n);
            default -> throw new IllegalStateException("Descent does not write " + this);
        }
        if (this != BOOL) {
            // the typed views above leave the byte buffer's position where it was
            out.position(out.position() + n * byteSize);
        }
    }

    /**
     * The IEEE binary16 value with bits {@code h} as a float; exact, since every half value is a float
     * value (Java 17 has no {@code Float.float16ToFloat}).
     */
    static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            // infinities, and NaNs with their payload kept
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent != 0) {
            // rebias the exponent from 15 to 127
            return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
        }
        // zero or subnormal: mantissa * 2^-24, a normal float
        float magnitude = mantissa * 0x1.0p-24f;
        return sign != 0 ? -magnitude : magnitude;
    }
}
