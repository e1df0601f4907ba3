package dev.descent.nn.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.descent.tensor.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON header of a safetensors file, parsed and checked: one {@link Entry} per tensor in the order the
 * header lists them, and the {@code __metadata__} map. Parsing is a single streaming pass, so that a
 * duplicate name is caught (a JSON tree would silently keep the last one) and nothing is built for a
 * header that turns out to be wrong.
 */
final class Header {
    /** The key under which the format keeps free-form string metadata. */
    static final String METADATA_KEY = "__metadata__";

    private static final JsonFactory JSON = new JsonFactory();

    /** One tensor's description: its element type, shape and byte range in the data that follows the header. */
    record Entry(String name, FileDType type, Shape shape, long begin, long end) {
        long byteLength() {
            return (long) shape.numel() * type.byteSize;
        }

        String offsets() {
            return "[" + begin + ", " + end + "]";
        }
    }

    private final List<Entry> entries;
    private final Map<String, String> metadata;

    private Header(List<Entry> entries, Map<String, String> metadata) {
        this.entries = entries;
        this.metadata = metadata;
    }

    List<Entry> entries() {
        return entries;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Parses {@code bytes}, which must be UTF-8 JSON: one object whose members are tensor entries and an
     * optional {@code __metadata__} object of strings, followed by nothing but whitespace.
     *
     * @param source names the file in messages
     */
    static Header parse(byte[] bytes, String source) throws MalformedFileException {
        String text = decodeUtf8(bytes, source);
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = Map.of();
        Set<String> names = new HashSet<>();
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedFileException(source + ": the header is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!names.add(name)) {
                    throw new MalformedFileException(source + ": the header names '" + name + "' twice");
                }
                p.nextToken();
                if (name.equals(METADATA_KEY)) {
                    metadata = parseMetadata(p, source);
                } else {
                    entries.add(parseEntry(p, new Context(source, name)));
                }
            }
            if (p.nextToken() != null) {
                throw new MalformedFileException(source + ": the header has more after its JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new MalformedFileException(source + ": the header is not valid JSON: " + e.getOriginalMessage());
        } catch (MalformedFileException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from a string cannot fail with I/O", e);
        }
        return new Header(Collections.unmodifiableList(entries), metadata);
    }

    private static String decodeUtf8(byte[] bytes, String source) throws MalformedFileException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedFileException(source + ": the header is not valid UTF-8");
        }
    }

    private static Map<String, String> parseMetadata(JsonParser p, String source) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new MalformedFileException(source + ": " + METADATA_KEY + " is not a JSON object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new MalformedFileException(source + ": " + METADATA_KEY + " value '" + key
                        + "' is not a string (the format allows strings only)");
            }
            if (out.put(key, p.getText()) != null) {
                throw new MalformedFileException(source + ": " + METADATA_KEY + " names '" + key + "' twice");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The file and the tensor being parsed, for messages. */
    private record Context(String source, String tensor) {
        MalformedFileException error(String problem) {
            return new MalformedFileException(source + ": tensor '" + tensor + "': " + problem);
        }
    }

    private static Entry parseEntry(JsonParser p, Context at) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw at.error("its entry is not a JSON object");
        }
        String dtype = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "dtype" -> {
                    requireFirst(dtype, field, at);
                    if (p.currentToken() != JsonToken.VALUE_STRING) {
                        throw at.error("dtype is not a string");
                    }
                    dtype = p.getText();
                }
                case "shape" -> {
                    requireFirst(shape, field, at);
                    shape = parseNaturals(p, "shape", at);
                }
                case "data_offsets" -> {
                    requireFirst(offsets, field, at);
                    offsets = parseNaturals(p, "data_offsets", at);
                }
                // unknown members are ignored, as the reference reader ignores them
                default -> p.skipChildren();
            }
        }
        return entry(at, dtype, shape, offsets);
    }

    private static void requireFirst(Object seen, String field, Context at) throws MalformedFileException {
        if (seen != null) {
            throw at.error(field + " is given twice");
        }
    }

    /** A JSON array of integers from 0 to {@code Long.MAX_VALUE}. */
    private static long[] parseNaturals(JsonParser p, String field, Context at) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw at.error(field + " is not a JSON array");
        }
        List<Long> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            boolean fitsLong = p.currentToken() == JsonToken.VALUE_NUMBER_INT
                    && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
            if (!fitsLong || p.getLongValue() < 0) {
                throw at.error(field + " holds " + p.getText() + ", not an integer from 0 to " + Long.MAX_VALUE);
            }
            values.add(p.getLongValue());
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static Entry entry(Context at, String dtype, long[] shape, long[] offsets) throws MalformedFileException {
        if (dtype == null || shape == null || offsets == null) {
            throw at.error("its entry needs dtype, shape and data_offsets");
        }
        FileDType type = FileDType.forName(dtype);
        if (type == null) {
            throw at.error("dtype '" + dtype + "' is unknown or not supported (Descent reads BOOL, U8, I8, U16, I16, "
                    + "U32, I32, U64, I64, F16, BF16, F32 and F64)");
        }
        if (offsets.length != 2) {
            throw at.error("data_offsets must be [begin, end], got " + offsets.length + " numbers");
        }
        return new Entry(at.tensor(), type, shape(shape, at), offsets[0], offsets[1]);
    }

    private static Shape shape(long[] dims, Context at) throws MalformedFileException {
        int[] sizes = new int[dims.length];
        long numel = 1;
        boolean fits = true;
        for (int i = 0; i < dims.length; i++) {
            fits &= dims[i] <= Integer.MAX_VALUE;
            // capped just above the limit, the product of int-sized factors cannot overflow a long
            numel = Math.min(numel * Math.min(dims[i], Integer.MAX_VALUE), Integer.MAX_VALUE + 1L);
            sizes[i] = (int) dims[i];
        }
        if (!fits || numel > Integer.MAX_VALUE) {
            throw at.error("shape " + Arrays.toString(dims) + " is larger than a tensor can be (at most "
                    + Integer.MAX_VALUE + " elements, each dimension at most as many)");
        }
        return Shape.of(sizes);
    }

    /**
     * Checks that the entries describe the {@code dataLength} bytes after the header exactly, as the format
     * requires: each byte range matches its shape and dtype, lies inside the data, and the ranges tile the
     * data without overlaps or gaps.
     */
    void checkLayout(long dataLength, String source) throws MalformedFileException {
        for (Entry e : entries) {
            if (e.end() < e.begin()) {
                throw new MalformedFileException(source + ": tensor '" + e.name() + "': data_offsets " + e.offsets()
                        + " end before they begin");
            }
            if (e.end() - e.begin() != e.byteLength()) {
                throw new MalformedFileException(source + ": tensor '" + e.name() + "': shape " + e.shape() + " of "
                        + e.type() + " needs " + e.byteLength() + " bytes, but data_offsets " + e.offsets() + " span "
                        + (e.end() - e.begin()));
            }
            if (e.end() > dataLength) {
                throw new MalformedFileException(source + ": tensor '" + e.name() + "': data_offsets " + e.offsets()
                        + " reach beyond the " + dataLength + " bytes of data after the header (is the file truncated?)");
            }
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort((a, b) -> a.begin() != b.begin() ? Long.compare(a.begin(), b.begin()) : Long.compare(a.end(), b.end()));
        long covered = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin() < covered) {
                throw new MalformedFileException(source + ": tensors '" + previous.name() + "' " + previous.offsets()
                        + " and '" + e.name() + "' " + e.offsets() + " overlap");
            }
            if (e.begin() > covered) {
                throw new MalformedFileException(source + ": bytes [" + covered + ", " + e.begin()
                        + ") of the data belong to no tensor");
            }
            covered = e.end();
            previous = e;
        }
        if (covered != dataLength) {
            throw new MalformedFileException(source + ": " + (dataLength - covered)
                    + " bytes follow the last tensor's data");
        }
    }
}
