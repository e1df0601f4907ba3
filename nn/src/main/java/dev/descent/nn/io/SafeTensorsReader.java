package dev.descent.nn.io;

import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a safetensors file. Every size in the file is checked against the file's real length before
 * anything is allocated for it, so a corrupt or hostile header costs at most its own (limited) length in
 * memory; tensor data is then decoded through one fixed-size buffer.
 */
final class SafeTensorsReader {
    /** The largest header the reference implementation accepts; larger ones are taken as corrupt. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final int CHUNK_BYTES = 1 << 20;

    private SafeTensorsReader() {
    }

    static SafeTensors read(Path file) throws IOException {
        String source = file.toString();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < Long.BYTES) {
                throw new MalformedFileException(source + ": the file has " + size
                        + " bytes, too few for the 8-byte header length");
            }
            ByteBuffer prefix = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, prefix, 0, source);
            long headerLength = prefix.flip().getLong();
            if (Long.compareUnsigned(headerLength, size - Long.BYTES) > 0) {
                throw new MalformedFileException(source + ": the header length " + Long.toUnsignedString(headerLength)
                        + " reaches beyond the end of the file (" + size + " bytes)");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new MalformedFileException(source + ": the header length " + headerLength
                        + " exceeds the format's limit of " + MAX_HEADER_BYTES + " bytes");
            }
            ByteBuffer json = ByteBuffer.allocate((int) headerLength);
            readFully(channel, json, Long.BYTES, source);
            Header header = Header.parse(json.array(), source);
            long dataStart = Long.BYTES + headerLength;
            header.checkLayout(size - dataStart, source);
            long largest = header.entries().stream().mapToLong(Header.Entry::byteLength).max().orElse(0);
            // one buffer for all tensors, no larger than the largest (at least one element of any type)
            int chunkBytes = (int) Math.max(Long.BYTES, Math.min(CHUNK_BYTES, largest));
            ByteBuffer chunk = ByteBuffer.allocate(chunkBytes).order(ByteOrder.LITTLE_ENDIAN);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Header.Entry e : header.entries()) {
                tensors.put(e.name(), readTensor(channel, dataStart + e.begin(), e, chunk, source));
            }
            return new SafeTensors(tensors, header.metadata());
        }
    }

    private static Tensor readTensor(FileChannel channel, long position, Header.Entry e, ByteBuffer chunk,
            String source) throws IOException {
        FileDType type = e.type();
        int numel = e.shape().numel();
        Object values = type.newArray(numel);
        String context = source + ": tensor '" + e.name() + "'";
        int perChunk = chunk.capacity() / type.byteSize;
        for (int done = 0; done < numel; done += perChunk) {
            int n = Math.min(perChunk, numel - done);
            chunk.clear().limit(n * type.byteSize);
            readFully(channel, chunk, position + (long) done * type.byteSize, source);
            type.decode(chunk.flip(), values, done, n, context);
        }
        return tensor(values, e);
    }

    private static Tensor tensor(Object values, Header.Entry e) {
        int[] dims = e.shape().toArray();
        return switch (e.type().target) {
            case FLOAT32 -> Tensor.of((float[]) values, dims);
            case FLOAT64 -> Tensor.of((double[]) values, dims);
            case INT64 -> Tensor.of((long[]) values, dims);
            case BOOL -> Tensor.of((boolean[]) values).reshape(dims);
        };
    }

    /** Fills {@code buffer} from {@code position}; the file was measured, so running out means it changed. */
    private static void readFully(FileChannel channel, ByteBuffer buffer, long position, String source)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new MalformedFileException(source + ": the file ended at byte " + at
                        + ", before the length it had when opened (was it changed while being read?)");
            }
            at += n;
        }
    }
}
