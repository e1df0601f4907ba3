package dev.descent.nn.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.descent.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors file. The header lists the tensors in the caller's order; their data is laid out
 * by element size, largest first (stable within one size), as the reference writer does, so that with the
 * header padded to a multiple of 8 bytes every tensor starts at a multiple of its element size and a
 * reader can map it in place.
 */
final class SafeTensorsWriter {
    private static final JsonFactory JSON = new JsonFactory();
    private static final int CHUNK_BYTES = 1 << 20;

    private SafeTensorsWriter() {
    }

    /** A tensor to write and where its bytes go. */
    private record Item(String name, Tensor tensor, FileDType type, long begin) {
        Header.Entry entry() {
            return new Header.Entry(name, type, tensor.shape(), begin, begin + (long) tensor.numel() * type.byteSize);
        }
    }

    static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Item> items = layout(tensors);
        byte[] header = header(items, metadata);
        List<Item> dataOrder = new ArrayList<>(items);
        dataOrder.sort(Comparator.comparingLong(Item::begin));
        AtomicFile.write(file, channel -> {
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            chunk.putLong(header.length);
            writeFully(channel, chunk.flip());
            writeFully(channel, ByteBuffer.wrap(header));
            for (Item item : dataOrder) {
                writeTensor(channel, item, chunk);
            }
        });
    }

    /** The items in the caller's order, with their data offsets assigned largest element size first. */
    private static List<Item> layout(Map<String, Tensor> tensors) {
        List<Map.Entry<String, Tensor>> given = new ArrayList<>(tensors.entrySet());
        for (Map.Entry<String, Tensor> e : given) {
            if (e.getKey() == null || e.getKey().equals(Header.METADATA_KEY)) {
                throw new IllegalArgumentException("SafeTensors.write: '" + e.getKey() + "' cannot name a tensor");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("SafeTensors.write: tensor '" + e.getKey() + "' is null");
            }
        }
        Integer[] byElementSize = new Integer[given.size()];
        Arrays.setAll(byElementSize, i -> i);
        Arrays.sort(byElementSize, Comparator.comparingInt(i -> -given.get(i).getValue().dtype().byteSize()));
        long[] begins = new long[given.size()];
        long offset = 0;
        for (int i : byElementSize) {
            Tensor t = given.get(i).getValue();
            begins[i] = offset;
            offset += (long) t.numel() * FileDType.forWriting(t.dtype()).byteSize;
        }
        List<Item> items = new ArrayList<>(given.size());
        for (int i = 0; i < given.size(); i++) {
            Tensor t = given.get(i).getValue();
            items.add(new Item(given.get(i).getKey(), t, FileDType.forWriting(t.dtype()), begins[i]));
        }
        return items;
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes. */
    private static byte[] header(List<Item> items, Map<String, String> metadata) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeFieldName(Header.METADATA_KEY);
                g.writeStartObject();
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    if (m.getKey() == null || m.getValue() == null) {
                        throw new IllegalArgumentException("SafeTensors.write: metadata cannot hold null (" + m.getKey()
                                + " = " + m.getValue() + ")");
                    }
                    g.writeStringField(m.getKey(), m.getValue());
                }
                g.writeEndObject();
            }
            for (Item item : items) {
                Header.Entry e = item.entry();
                g.writeFieldName(e.name());
                g.writeStartObject();
                g.writeStringField("dtype", e.type().name());
                g.writeFieldName("shape");
                g.writeArray(e.shape().toArray(), 0, e.shape().rank());
                g.writeFieldName("data_offsets");
                g.writeArray(new long[] {e.begin(), e.end()}, 0, 2);
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        while (out.size() % 8 != 0) {
            out.write(' ');
        }
        return out.toByteArray();
    }

    private static void writeTensor(FileChannel channel, Item item, ByteBuffer chunk) throws IOException {
        Object values = switch (item.tensor().dtype()) {
            case FLOAT32 -> item.tensor().toFloatArray();
            case FLOAT64 -> item.tensor().toDoubleArray();
            case INT64 -> item.tensor().toLongArray();
            case BOOL -> item.tensor().toBooleanArray();
        };
        int numel = item.tensor().numel();
        int perChunk = chunk.capacity() / item.type().byteSize;
        for (int done = 0; done < numel; done += perChunk) {
            int n = Math.min(perChunk, numel - done);
            chunk.clear();
            item.type().encode(values, done, n, chunk);
            writeFully(channel, chunk.flip());
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
