package dev.descent.nn.data;

import dev.descent.nn.io.MalformedFileException;
import dev.descent.tensor.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader of numeric CSV tables for classification, such as the UCI handwritten digits (64 pixel columns,
 * then the label): each row is one example, one column is its integer class label (INT64) and the others
 * are its features (FLOAT32, unscaled). Comma-separated, blank lines skipped, gzip detected from the bytes.
 */
public final class Csv {
    private Csv() {
    }

    /**
     * Reads {@code path} (no header row).
     *
     * @param labelColumn the label's column; negative counts from the end (-1 is the last column)
     */
    public static TensorDataset read(Path path, int labelColumn) throws IOException {
        return read(path, labelColumn, false);
    }

    /** Reads {@code path}, skipping the first line when {@code header} is true. */
    public static TensorDataset read(Path path, int labelColumn, boolean header) throws IOException {
        try (InputStream in = Streams.open(path)) {
            return read(in, path.toString(), labelColumn, header);
        }
    }

    static TensorDataset read(InputStream in, String source, int labelColumn, boolean header) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<float[]> features = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        int columns = -1;
        int label = 0;
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            if ((header && lineNumber == 1) || line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (columns < 0) {
                columns = cells.length;
                label = labelColumn < 0 ? columns + labelColumn : labelColumn;
                if (columns < 2 || label < 0 || label >= columns) {
                    throw new MalformedFileException(source + ": label column " + labelColumn + " does not exist in rows of "
                            + columns + " columns (line " + lineNumber + ")");
                }
            } else if (cells.length != columns) {
                throw new MalformedFileException(source + ": line " + lineNumber + " has " + cells.length + " columns, expected "
                        + columns + " as in the first row");
            }
            float[] row = new float[columns - 1];
            for (int c = 0, f = 0; c < columns; c++) {
                if (c == label) {
                    labels.add(parseLabel(cells[c], source, lineNumber, c));
                } else {
                    row[f++] = (float) parseNumber(cells[c], source, lineNumber, c);
                }
            }
            features.add(row);
        }
        if (features.isEmpty()) {
            throw new MalformedFileException(source + ": no rows");
        }
        return new TensorDataset(pack(features, columns - 1), Tensor.of(labels.stream().mapToLong(Long::longValue)
                .toArray()));
    }

    private static Tensor pack(List<float[]> rows, int width) {
        float[] data = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, data, r * width, width);
        }
        return Tensor.of(data, rows.size(), width);
    }

    private static double parseNumber(String cell, String source, int line, int column) throws IOException {
        try {
            return Double.parseDouble(cell.trim());
        } catch (NumberFormatException e) {
            throw new MalformedFileException(source + ": line " + line + ", column " + column + ": '" + cell + "' is not a number");
        }
    }

    private static long parseLabel(String cell, String source, int line, int column) throws IOException {
        double value = parseNumber(cell, source, line, column);
        if (value != Math.rint(value) || Math.abs(value) > 1L << 53) {
            throw new MalformedFileException(source + ": line " + line + ", column " + column + ": label '" + cell.trim()
                    + "' is not an integer class");
        }
        return (long) value;
    }
}
