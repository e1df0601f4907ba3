package dev.descent.nn.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The small real data sets shipped inside Descent (sources and licences in {@code ATTRIBUTION.md} next to
 * them), read from the classpath; nothing is downloaded. Each call reads the data afresh, so callers may
 * change what they get.
 */
public final class Bundled {
    private Bundled() {
    }

    /** The 8,000 training digits of the bundled MNIST subset: FLOAT32 [8000, 1, 28, 28] in [0, 1], labels INT64. */
    public static TensorDataset mnistTrain() {
        return mnist("mnist10k/train-images-idx3-ubyte.gz", "mnist10k/train-labels-idx1-ubyte.gz");
    }

    /** The 2,000 test digits of the bundled MNIST subset: FLOAT32 [2000, 1, 28, 28] in [0, 1], labels INT64. */
    public static TensorDataset mnistTest() {
        return mnist("mnist10k/t10k-images-idx3-ubyte.gz", "mnist10k/t10k-labels-idx1-ubyte.gz");
    }

    /**
     * The 1,797 UCI handwritten digits (the test part, as scikit-learn ships them): FLOAT32 [1797, 64] with the
     * 8 x 8 pixel counts 0..16 unscaled, labels INT64 0..9.
     */
    public static TensorDataset digits() {
        String name = "digits.csv.gz";
        try (InputStream in = Streams.resource(name)) {
            return Csv.read(in, name, -1, false);
        } catch (IOException e) {
            throw unreadable(name, e);
        }
    }

    /** Tiny Shakespeare: 1,115,394 characters of plays, the corpus of char-rnn. */
    public static String tinyShakespeare() {
        String name = "tinyshakespeare/input.txt.gz";
        try (InputStream in = Streams.resource(name)) {
            return new String(Streams.readAll(in, name, "text"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw unreadable(name, e);
        }
    }

    private static TensorDataset mnist(String images, String labels) {
        try (InputStream x = Streams.resource(images); InputStream y = Streams.resource(labels)) {
            return Mnist.pair(Mnist.readImages(x, images), images, Mnist.readLabels(y, labels), labels);
        } catch (IOException e) {
            throw unreadable(images + " / " + labels, e);
        }
    }

    private static UncheckedIOException unreadable(String name, IOException e) {
        return new UncheckedIOException("the bundled data set " + name + " could not be read: " + e.getMessage(), e);
    }
}
