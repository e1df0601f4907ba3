package dev.descent.nn.data;

import dev.descent.nn.io.MalformedFileException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The IDX format of LeCun's MNIST files: a magic number {@code 0x0000TTRR} (T the element type, 0x08 for
 * unsigned bytes; R the number of dimensions), R big-endian 32-bit sizes, then the elements in row-major
 * order. Only unsigned bytes are read, the type of every MNIST-format data set.
 */
final class Idx {
    private static final int UNSIGNED_BYTE = 0x08;

    private Idx() {
    }

    /** The sizes and raw elements of an IDX array. */
    record Array(int[] dims, byte[] data) {
    }

    /** Reads an unsigned-byte array of {@code rank} dimensions, checking the magic number and the length. */
    static Array read(InputStream in, String source, int rank, String what) throws IOException {
        int expected = UNSIGNED_BYTE << 8 | rank;
        byte[] header = Streams.readExactly(in, 4, source, "the IDX header of " + what);
        int magic = Streams.bigEndianInt(header, 0);
        if (magic != expected) {
            String hint = header[0] != 0 || header[1] != 0 ? "not an IDX file"
                    : (magic >> 8) != UNSIGNED_BYTE ? "IDX element type 0x" + hex(magic >> 8, 2) + ", not unsigned bytes"
                    : "an IDX array of " + (magic & 0xFF) + " dimensions, not " + rank;
            throw new MalformedFileException(source + ": bad magic number 0x" + hex(magic, 8) + ", expected 0x" + hex(expected, 8)
                    + " for " + what + " (" + hint + ")");
        }
        byte[] sizes = Streams.readExactly(in, 4 * rank, source, "the IDX sizes of " + what);
        int[] dims = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            dims[d] = Streams.bigEndianInt(sizes, 4 * d);
            if (dims[d] < 0) {
                throw new MalformedFileException(source + ": size " + d + " of " + what + " is negative (" + dims[d] + ")");
            }
            count *= dims[d];
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new MalformedFileException(source + ": the header declares " + count + " elements of " + what
                    + ", more than one array can hold");
        }
        byte[] data = Streams.readExactly(in, (int) count, source, what);
        Streams.expectEnd(in, source, "the " + count + " bytes of " + what + " that the header declares");
        return new Array(dims, data);
    }

    private static String hex(int value, int digits) {
        return String.format("%0" + digits + "X", value);
    }
}
