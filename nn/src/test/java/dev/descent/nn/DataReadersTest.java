package dev.descent.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.Cifar10;
import dev.descent.nn.data.Csv;
import dev.descent.nn.data.Mnist;
import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.io.MalformedFileException;
import dev.descent.tensor.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readers on the bundled files (checked against bytes read here directly with java.util.zip) and on
 * small files written by the tests, including malformed ones.
 */
class DataReadersTest {
    private static final String RESOURCES = "/dev/descent/nn/data/";

    @TempDir
    Path dir;

    /** A bundled resource's bytes, decompressed here independently of the readers. */
    private static byte[] gunzipResource(String name) throws IOException {
        try (InputStream in = new GZIPInputStream(DataReadersTest.class.getResourceAsStream(RESOURCES + name))) {
            return in.readAllBytes();
        }
    }

    private static long[] histogram(TensorDataset data, int classes) {
        long[] counts = new long[classes];
        for (long label : data.targets().toLongArray()) {
            counts[(int) label]++;
        }
        return counts;
    }

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should contain '" + p + "'");
        }
    }

    // ------------------------------------------------------------------ bundled MNIST

    @Test
    void bundledMnistHasTheDocumentedSplit() {
        TensorDataset train = Bundled.mnistTrain();
        TensorDataset test = Bundled.mnistTest();
        assertArrayEquals(new int[] {8000, 1, 28, 28}, train.inputs().shape().toArray());
        assertArrayEquals(new int[] {2000, 1, 28, 28}, test.inputs().shape().toArray());
        assertEquals(DType.FLOAT32, train.inputs().dtype());
        assertEquals(DType.INT64, train.targets().dtype());
        assertEquals(0.0, train.inputs().min().item());
        assertEquals(1.0, train.inputs().max().item());
        for (long count : histogram(train, 10)) {
            assertTrue(count > 600 && count < 1000, "each digit is about a tenth of 8000: " + count);
        }
        for (long count : histogram(test, 10)) {
            assertTrue(count > 150 && count < 250, "each digit is about a tenth of 2000: " + count);
        }
    }

    @Test
    void bundledMnistMatchesTheRawBytes() throws IOException {
        byte[] images = gunzipResource("mnist10k/train-images-idx3-ubyte.gz");
        byte[] labels = gunzipResource("mnist10k/train-labels-idx1-ubyte.gz");
        TensorDataset train = Bundled.mnistTrain();
        float[] first = train.get(0).input().toFloatArray();
        long rawSum = 0;
        double readSum = 0;
        for (int i = 0; i < 784; i++) {
            int raw = images[16 + i] & 0xFF;
            rawSum += raw;
            readSum += first[i] * 255.0;
            assertEquals(raw / 255f, first[i], "pixel " + i);
        }
        assertEquals(rawSum, Math.round(readSum));
        assertTrue(rawSum > 0);
        int last = 7999;
        assertEquals(labels[8] & 0xFF, train.targets().getLong(0));
        assertEquals(labels[8 + last] & 0xFF, train.targets().getLong(last));
        assertEquals((images[16 + last * 784 + 400] & 0xFF) / 255f, train.get(last).input().toFloatArray()[400]);
    }

    // ------------------------------------------------------------------ MNIST files

    /** An IDX file with the given magic number, sizes and data. */
    private static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static byte[] pixels(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 7);
        }
        return p;
    }

    @Test
    void mnistReadsRawAndGzipFilesOfAnySize() throws IOException {
        byte[] px = pixels(2 * 3 * 4);
        byte[] images = idx(0x803, new int[] {2, 3, 4}, px);
        byte[] labels = idx(0x801, new int[] {2}, new byte[] {7, (byte) 200});
        TensorDataset raw = Mnist.read(write("img", images), write("lbl", labels));
        TensorDataset gz = Mnist.read(write("img.gz", gzip(images)), write("lbl.bin", gzip(labels)));
        assertArrayEquals(new int[] {2, 1, 3, 4}, raw.inputs().shape().toArray());
        assertArrayEquals(new long[] {7, 200}, raw.targets().toLongArray(), "labels are unsigned bytes");
        assertEquals((px[13] & 0xFF) / 255f, raw.inputs().toFloatArray()[13]);
        assertArrayEquals(raw.inputs().toFloatArray(), gz.inputs().toFloatArray());
        assertArrayEquals(raw.targets().toLongArray(), gz.targets().toLongArray());
    }

    @Test
    void mnistRejectsBadMagicNumbers() throws IOException {
        Path labels = write("labels", idx(0x801, new int[] {3}, new byte[3]));
        assertMessage(assertThrows(MalformedFileException.class, () -> Mnist.readImages(labels)),
                "bad magic number 0x00000801", "expected 0x00000803", "1 dimensions, not 3", labels.toString());
        Path text = write("text", "hello, world".getBytes(StandardCharsets.US_ASCII));
        assertMessage(assertThrows(MalformedFileException.class, () -> Mnist.readLabels(text)), "bad magic number",
                "not an IDX file");
        Path floats = write("floats", idx(0xD01, new int[] {1}, new byte[4]));
        assertMessage(assertThrows(MalformedFileException.class, () -> Mnist.readLabels(floats)), "element type 0x0D");
    }

    @Test
    void mnistRejectsTruncatedFiles() throws IOException {
        byte[] images = idx(0x803, new int[] {10, 28, 28}, pixels(10 * 784));
        Path cut = write("cut", Arrays.copyOf(images, 16 + 3 * 784 + 5));
        assertMessage(assertThrows(MalformedFileException.class, () -> Mnist.readImages(cut)), "truncated", "7840",
                String.valueOf(3 * 784 + 5));
        Path header = write("header", Arrays.copyOf(images, 10));
        assertMessage(assertThrows(MalformedFileException.class, () -> Mnist.readImages(header)), "truncated", "sizes");
        byte[] gz = gzip(images);
        Path cutGz = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertMessage(assertThrows(MalformedFileException.class, () -> Mnist.readImages(cutGz)), "truncated or corrupt gzip");
        Path longer = write("longer", Arrays.copyOf(images, images.length + 3));
        assertMessage(assertThrows(MalformedFileException.class, () -> Mnist.readImages(longer)), "unexpected data after");
    }

    @Test
    void mnistRejectsImagesAndLabelsOfDifferentCounts() throws IOException {
        Path images = write("img", idx(0x803, new int[] {3, 2, 2}, new byte[12]));
        Path labels = write("lbl", idx(0x801, new int[] {2}, new byte[2]));
        assertMessage(assertThrows(MalformedFileException.class, () -> Mnist.read(images, labels)), "3 images", "2 labels");
    }

    // ------------------------------------------------------------------ CIFAR-10

    /** Records whose label is r % 10 and whose pixel p is (r + 3 p) mod 256. */
    private static byte[] cifar(int records) {
        byte[] b = new byte[records * 3073];
        for (int r = 0; r < records; r++) {
            b[r * 3073] = (byte) (r % 10);
            for (int p = 0; p < 3072; p++) {
                b[r * 3073 + 1 + p] = (byte) (r + 3 * p);
            }
        }
        return b;
    }

    @Test
    void cifarReadsRecordsAsChannelPlanes() throws IOException {
        Path a = write("data_batch_1.bin", cifar(3));
        Path b = write("data_batch_2.bin", gzip(cifar(12)));
        TensorDataset data = Cifar10.read(a, b);
        assertArrayEquals(new int[] {15, 3, 32, 32}, data.inputs().shape().toArray());
        assertEquals(DType.FLOAT32, data.inputs().dtype());
        assertArrayEquals(new long[] {0, 1, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1}, data.targets().toLongArray());
        // record 1 of the first file: channel 2 (blue), row 3, column 5 is pixel byte 2 * 1024 + 3 * 32 + 5
        int p = 2 * 1024 + 3 * 32 + 5;
        assertEquals(((1 + 3 * p) & 0xFF) / 255f, (float) data.inputs().getDouble(1, 2, 3, 5));
        // record 4 of the second file is record 7 overall
        assertEquals(((4 + 3 * 17) & 0xFF) / 255f, (float) data.inputs().getDouble(7, 0, 0, 17));
        assertEquals(Cifar10.CLASSES.get(9), "truck");
    }

    @Test
    void cifarRejectsMalformedBatches() throws IOException {
        Path cut = write("cut.bin", Arrays.copyOf(cifar(3), 2 * 3073 + 100));
        assertMessage(assertThrows(MalformedFileException.class, () -> Cifar10.read(cut)), "truncated", "2 whole records",
                "100 bytes");
        byte[] bad = cifar(2);
        bad[3073] = 42;
        Path badLabel = write("bad.bin", bad);
        assertMessage(assertThrows(MalformedFileException.class, () -> Cifar10.read(badLabel)), "record 1", "label 42");
        Path empty = write("empty.bin", new byte[0]);
        assertMessage(assertThrows(MalformedFileException.class, () -> Cifar10.read(empty)), "empty");
    }

    @Test
    void cifarReadsTheStandardFileNames() throws IOException {
        for (int i = 1; i <= 5; i++) {
            write("data_batch_" + i + ".bin", cifar(i));
        }
        write("test_batch.bin", cifar(4));
        assertEquals(15, Cifar10.readTrain(dir).size());
        assertEquals(4, Cifar10.readTest(dir).size());
    }

    // ------------------------------------------------------------------ CSV and the UCI digits

    @Test
    void bundledDigitsMatchTheRawCsv() throws IOException {
        String[] lines = new String(gunzipResource("digits.csv.gz"), StandardCharsets.UTF_8).split("\n");
        TensorDataset digits = Bundled.digits();
        assertArrayEquals(new int[] {1797, 64}, digits.inputs().shape().toArray());
        assertEquals(1797, lines.length);
        String[] first = lines[0].split(",");
        float[] row = digits.get(0).input().toFloatArray();
        for (int i = 0; i < 64; i++) {
            assertEquals(Float.parseFloat(first[i]), row[i], "feature " + i);
        }
        assertEquals(Long.parseLong(first[64].trim()), digits.targets().getLong(0));
        assertEquals(0.0, digits.inputs().min().item());
        assertEquals(16.0, digits.inputs().max().item());
        for (long count : histogram(digits, 10)) {
            assertTrue(count > 160 && count < 200, "about 180 of each digit: " + count);
        }
    }

    @Test
    void csvTakesTheLabelFromAnyColumn() throws IOException {
        Path csv = write("t.csv", "a,label,b\n1.5, 2 ,3\n\n-4,0,5e-1\n".getBytes(StandardCharsets.UTF_8));
        TensorDataset data = Csv.read(csv, 1, true);
        assertArrayEquals(new float[] {1.5f, 3, -4, 0.5f}, data.inputs().toFloatArray());
        assertArrayEquals(new long[] {2, 0}, data.targets().toLongArray());
    }

    @Test
    void csvRejectsMalformedRows() throws IOException {
        Path ragged = write("ragged.csv", "1,2,3\n4,5,6\n7,8\n".getBytes(StandardCharsets.UTF_8));
        assertMessage(assertThrows(MalformedFileException.class, () -> Csv.read(ragged, -1)), "line 3 has 2 columns",
                "expected 3");
        Path word = write("word.csv", "1,2,3\n4,abc,6\n".getBytes(StandardCharsets.UTF_8));
        assertMessage(assertThrows(MalformedFileException.class, () -> Csv.read(word, -1)), "line 2, column 1", "'abc'",
                "not a number");
        Path fraction = write("fraction.csv", "1,2,3.5\n".getBytes(StandardCharsets.UTF_8));
        assertMessage(assertThrows(MalformedFileException.class, () -> Csv.read(fraction, -1)), "label '3.5'", "not an integer");
        Path empty = write("empty.csv", "\n\n".getBytes(StandardCharsets.UTF_8));
        assertMessage(assertThrows(MalformedFileException.class, () -> Csv.read(empty, -1)), "no rows");
        Path one = write("one.csv", "1,2\n".getBytes(StandardCharsets.UTF_8));
        assertMessage(assertThrows(MalformedFileException.class, () -> Csv.read(one, 5)), "label column 5");
    }
}
