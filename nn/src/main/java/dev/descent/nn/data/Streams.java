package dev.descent.nn.data;

import dev.descent.nn.io.MalformedFileException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opening data files, gzip-compressed or not (told by the gzip magic bytes, not the file name), and reading
 * exact byte counts with errors that say what was being read and what was wrong.
 */
final class Streams {
    private static final int BUFFER = 1 << 16;

    private Streams() {
    }

    /** The file's bytes, decompressed if it is gzip data. */
    static InputStream open(Path path) throws IOException {
        return decompressIfGzip(Files.newInputStream(path));
    }

    /** A resource next to {@link Bundled} on the classpath, decompressed if it is gzip data. */
    static InputStream resource(String name) throws IOException {
        InputStream in = Bundled.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("the bundled resource dev/descent/nn/data/" + name + " is missing from the"
                    + " classpath (is the descent-nn jar complete?)");
        }
        return decompressIfGzip(in);
    }

    static InputStream decompressIfGzip(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER) : in;
    }

    /** Exactly {@code n} bytes of {@code what}, or an error saying the data is truncated. */
    static byte[] readExactly(InputStream in, int n, String source, String what) throws IOException {
        byte[] data;
        try {
            data = in.readNBytes(n);
        } catch (EOFException | ZipException e) {
            throw corrupt(source, what, e);
        }
        if (data.length < n) {
            throw new MalformedFileException(source + ": truncated: expected " + n + " bytes of " + what + ", found only "
                    + data.length);
        }
        return data;
    }

    /** Every remaining byte. */
    static byte[] readAll(InputStream in, String source, String what) throws IOException {
        try {
            return in.readAllBytes();
        } catch (EOFException | ZipException e) {
            throw corrupt(source, what, e);
        }
    }

    /** Checks that nothing follows {@code what} (a count in a header that disagrees with the data). */
    static void expectEnd(InputStream in, String source, String what) throws IOException {
        int extra;
        try {
            extra = in.read();
        } catch (EOFException | ZipException e) {
            throw corrupt(source, what, e);
        }
        if (extra != -1) {
            throw new MalformedFileException(source + ": unexpected data after " + what + " (the header's sizes do not match the"
                    + " file)");
        }
    }

    private static MalformedFileException corrupt(String source, String what, IOException e) {
        MalformedFileException m = new MalformedFileException(source + ": truncated or corrupt gzip data while"
                + " reading " + what + " (" + e.getMessage() + ")");
        m.initCause(e);
        return m;
    }

    /** A big-endian 32-bit integer at {@code offset}. */
    static int bigEndianInt(byte[] b, int offset) {
        return (b[offset] & 0xFF) << 24 | (b[offset + 1] & 0xFF) << 16 | (b[offset + 2] & 0xFF) << 8
                | (b[offset + 3] & 0xFF);
    }

    /** Unsigned bytes scaled to [0, 1] by 1 / 255. */
    static float[] unitScaled(byte[] bytes, int from, int length, float[] into, int at) {
        for (int i = 0; i < length; i++) {
            into[at + i] = (bytes[from + i] & 0xFF) / 255f;
        }
        return into;
    }
}
