package dev.descent.nn.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values a checkpoint keeps as JSON: null, Boolean, String, integers, finite floating-point numbers,
 * and lists and string-keyed maps of these. Values are normalised so that what is saved and what is loaded
 * compare equal: every integer becomes a Long and every floating-point number a Double (a Float widened
 * exactly, so that it is written with all its digits), and lists and maps become unmodifiable copies that
 * keep their order.
 */
final class JsonValues {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };

    private JsonValues() {
    }

    /**
     * The normalised copy of {@code map}.
     *
     * @param path names the map in messages, e.g. {@code optimizer scalars}
     * @throws IllegalArgumentException naming the offending entry's path if a value cannot be stored as JSON
     */
    static Map<String, Object> normalizeObject(Map<?, ?> map, String path) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException(path + ": key " + e.getKey() + " is not a string");
            }
            out.put(key, normalize(e.getValue(), path + "." + key));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The normalised {@code value}.
     *
     * @throws IllegalArgumentException naming {@code path} if it cannot be stored as JSON
     */
    static Object normalize(Object value, String path) {
        if (value == null || value instanceof Boolean || value instanceof String || value instanceof Long) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException(path + ": " + d + " cannot be stored as JSON; keep it in a tensor");
            }
            return d;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(normalize(list.get(i), path + "[" + i + "]"));
            }
            return Collections.unmodifiableList(out);
        }
        if (value instanceof Map<?, ?> map) {
            return normalizeObject(map, path);
        }
        throw new IllegalArgumentException(path + ": a " + value.getClass().getName() + " cannot be stored as JSON "
                + "(use null, Boolean, String, Integer, Long, Float, Double, or Lists and String-keyed Maps of them)");
    }

    /** {@code map} (already normalised) as JSON text. */
    static String write(Map<String, Object> map) {
        try {
            return MAPPER.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("normalised values always serialise", e);
        }
    }

    /**
     * The JSON object {@code text}, normalised.
     *
     * @throws IllegalArgumentException saying why if it is not a JSON object of storable values
     */
    static Map<String, Object> read(String text, String path) {
        Map<String, Object> raw;
        try {
            raw = MAPPER.readValue(text, OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(path + " is not a JSON object: " + e.getOriginalMessage());
        }
        if (raw == null) {
            throw new IllegalArgumentException(path + " is not a JSON object: null");
        }
        return normalizeObject(raw, path);
    }
}
