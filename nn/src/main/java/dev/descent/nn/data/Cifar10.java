package dev.descent.nn.data;

import dev.descent.nn.io.MalformedFileException;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader of CIFAR-10's binary batches ({@code data_batch_1.bin} ... {@code data_batch_5.bin},
 * {@code test_batch.bin}): records of one label byte (0..9) and 3,072 pixel bytes (the red, green and blue
 * 32 x 32 planes, rows in order). Images come as FLOAT32 [N, 3, 32, 32] scaled to [0, 1], labels as INT64 [N].
 */
public final class Cifar10 {
    /** The class names, by label. */
    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    private static final int SIDE = 32;
    private static final int PIXELS = 3 * SIDE * SIDE;
    private static final int RECORD = 1 + PIXELS;

    private Cifar10() {
    }

    /** The five training batches {@code data_batch_1.bin} ... {@code data_batch_5.bin} of {@code directory}. */
    public static TensorDataset readTrain(Path directory) throws IOException {
        Path[] files = new Path[5];
        for (int i = 0; i < 5; i++) {
            files[i] = directory.resolve("data_batch_" + (i + 1) + ".bin");
        }
        return read(files);
    }

    /** The test batch {@code test_batch.bin} of {@code directory}. */
    public static TensorDataset readTest(Path directory) throws IOException {
        return read(directory.resolve("test_batch.bin"));
    }

    /** The records of the given batch files, in order (gzip-compressed files are accepted too). */
    public static TensorDataset read(Path... batchFiles) throws IOException {
        List<byte[]> contents = new ArrayList<>();
        int records = 0;
        for (Path file : batchFiles) {
            byte[] bytes;
            try (InputStream in = Streams.open(file)) {
                bytes = Streams.readAll(in, file.toString(), "CIFAR-10 records");
            }
            records += check(bytes, file.toString());
            contents.add(bytes);
        }
        float[] pixels = new float[records * PIXELS];
        long[] labels = new long[records];
        int r = 0;
        for (byte[] bytes : contents) {
            for (int at = 0; at < bytes.length; at += RECORD, r++) {
                labels[r] = bytes[at];
                Streams.unitScaled(bytes, at + 1, PIXELS, pixels, r * PIXELS);
            }
        }
        return new TensorDataset(Tensor.of(pixels, records, 3, SIDE, SIDE), Tensor.of(labels));
    }

    /** The number of records, after checking the length and the labels. */
    private static int check(byte[] bytes, String source) throws IOException {
        if (bytes.length == 0) {
            throw new MalformedFileException(source + ": empty: a CIFAR-10 batch holds records of " + RECORD + " bytes");
        }
        if (bytes.length % RECORD != 0) {
            throw new MalformedFileException(source + ": truncated: " + bytes.length + " bytes are " + bytes.length / RECORD
                    + " whole records and " + bytes.length % RECORD + " bytes of another (each record is 1 label byte and "
                    + PIXELS + " pixel bytes)");
        }
        for (int at = 0, r = 0; at < bytes.length; at += RECORD, r++) {
            int label = bytes[at] & 0xFF;
            if (label >= CLASSES.size()) {
                throw new MalformedFileException(source + ": record " + r + " has label " + label + ", but CIFAR-10 labels are 0..9"
                        + " (a CIFAR-100 file has two label bytes per record)");
            }
        }
        return bytes.length / RECORD;
    }
}
