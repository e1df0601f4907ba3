package dev.descent.analysis.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The run folder of a study: CSV tables, JSON documents and PNG plots, each written atomically (a
 * temporary file, then a rename), so an interrupted study never leaves a half-written file.
 */
public final class StudyFolder {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;

    /** Opens {@code root}, creating it and its parents if needed. */
    public StudyFolder(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("StudyFolder: cannot create " + root, e);
        }
    }

    /** The folder itself. */
    public Path root() {
        return root;
    }

    /** The path of {@code name} inside the folder. */
    public Path resolve(String name) {
        return root.resolve(name);
    }

    /**
     * Writes a CSV file: the header, then one line per row. Numbers are written with {@code String.valueOf},
     * so doubles keep every digit.
     */
    public Path writeCsv(String name, List<String> header, List<? extends List<?>> rows) {
        StringBuilder text = new StringBuilder(String.join(",", header)).append('\n');
        for (List<?> row : rows) {
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("StudyFolder.writeCsv(" + name + "): a row has " + row.size()
                        + " fields, the header " + header.size());
            }
            for (int i = 0; i < row.size(); i++) {
                text.append(i == 0 ? "" : ",").append(csvField(row.get(i)));
            }
            text.append('\n');
        }
        return writeString(name, text.toString());
    }

    /** Writes {@code value} (records, maps, lists, numbers) as indented JSON. */
    public Path writeJson(String name, Object value) {
        try {
            return writeString(name, JSON.writeValueAsString(value) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("StudyFolder.writeJson(" + name + ")", e);
        }
    }

    /** Renders {@code plot} to a PNG file. */
    public Path writePlot(String name, LinePlot plot) {
        return replaceAtomically(name, tmp -> plot.savePng(tmp));
    }

    /** Writes text, UTF-8. */
    public Path writeString(String name, String text) {
        return replaceAtomically(name, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /** Serialises {@code value} to a JSON string, for printing with {@code --json}. */
    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("StudyFolder.toJson", e);
        }
    }

    private interface Writer {
        void write(Path tmp) throws IOException;
    }

    private Path replaceAtomically(String name, Writer writer) {
        Path target = root.resolve(name);
        Path tmp = root.resolve("." + name + ".tmp");
        try {
            writer.write(tmp);
            return Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original failure is the one to report
            }
            throw new UncheckedIOException("StudyFolder: cannot write " + target, e);
        }
    }

    private static String csvField(Object value) {
        String s = String.valueOf(value);
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
