package dev.descent.nn.io;

import dev.descent.nn.Module;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Named tensors in the <a href="https://github.com/huggingface/safetensors">safetensors</a> format, the
 * format of Hugging Face's {@code safetensors} library: an 8-byte little-endian header length, a JSON
 * header naming each tensor's dtype, shape and byte range, then the raw little-endian data. Files written
 * here are read by Python's {@code safetensors} (and so by PyTorch and NumPy), and files it writes are
 * read here.
 *
 * <p>Reading converts every element type exactly into a Descent dtype: F32 and F64 stay FLOAT32 and
 * FLOAT64; F16 and BF16 become FLOAT32; I8, I16, I32, I64, U8, U16, U32 and U64 become INT64, unsigned
 * values as stored (a U64 value above {@code Long.MAX_VALUE} is rejected, not wrapped); BOOL stays BOOL.
 * Writing stores FLOAT32, FLOAT64, INT64 and BOOL as F32, F64, I64 and BOOL.
 *
 * <p>A file is checked in full before any tensor is built: the header length against the file, the JSON,
 * every dtype, shape and byte range, and that the ranges tile the data exactly, as the format requires. A
 * file that fails any check is rejected with a {@link MalformedFileException} naming the file and the
 * problem. Writing is atomic (a temporary file in the same directory, renamed over the target), so a failed
 * write leaves any previous file as it was.
 */
public final class SafeTensors {
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    SafeTensors(Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.tensors = Collections.unmodifiableMap(tensors);
        this.metadata = metadata;
    }

    /**
     * Reads a safetensors file.
     *
     * @throws MalformedFileException if the file does not follow the format, or holds a dtype or value that
     *     Descent cannot represent exactly
     * @throws IOException if the file cannot be read
     */
    public static SafeTensors read(Path file) throws IOException {
        return SafeTensorsReader.read(file);
    }

    /**
     * Writes {@code tensors}, in their map order, with no metadata; see {@link #write(Path, Map, Map)}.
     *
     * @throws IOException if the file cannot be written; the previous file, if any, is then unchanged
     */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} and the string {@code metadata} to {@code file} atomically, replacing any file
     * there. The header lists the tensors in the map's order; their data is laid out largest element size
     * first, so that every tensor is aligned to its element size.
     *
     * @throws IllegalArgumentException if a name is null or {@code __metadata__}, a tensor is null, or the
     *     metadata holds a null
     * @throws IOException if the file cannot be written; the previous file, if any, is then unchanged
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        SafeTensorsWriter.write(file, tensors, metadata);
    }

    /**
     * Writes {@code model}'s state dict (parameters and buffers by dotted name), as
     * {@code safetensors.torch.save_model}.
     *
     * @throws IOException if the file cannot be written; the previous file, if any, is then unchanged
     */
    public static void saveModel(Path file, Module model) throws IOException {
        write(file, model.stateDict());
    }

    /**
     * {@link #loadModel(Path, Module, boolean)}, strict.
     *
     * @throws IOException if the file cannot be read or is malformed
     */
    public static void loadModel(Path file, Module model) throws IOException {
        loadModel(file, model, true);
    }

    /**
     * Reads {@code file} and copies its tensors into {@code model}'s parameters and buffers of the same
     * names, cast to their dtypes, as {@link Module#loadStateDict(Map, boolean)}.
     *
     * @throws IllegalArgumentException naming the file and every mismatch (shapes; with {@code strict},
     *     missing and unexpected names); the model is then unchanged
     * @throws IOException if the file cannot be read or is malformed
     */
    public static void loadModel(Path file, Module model, boolean strict) throws IOException {
        Map<String, Tensor> state = read(file).tensors();
        try {
            model.loadStateDict(state, strict);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The tensors by name, in the order the file's header lists them; unmodifiable. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** The file's {@code __metadata__} (empty when it has none), in the header's order; unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The tensor {@code name}.
     *
     * @throws IllegalArgumentException if the file has no such tensor; the message lists those it has
     */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("SafeTensors.get: no tensor '" + name + "' among " + tensors.keySet());
        }
        return t;
    }

    /** The names, dtypes and shapes, e.g. {@code SafeTensors{weight=float32[2, 3]}}. */
    @Override
    public String toString() {
        Map<String, String> summary = new LinkedHashMap<>();
        tensors.forEach((name, t) -> summary.put(name, t.dtype().displayName() + t.shape()));
        return "SafeTensors" + summary;
    }
}
