package dev.descent.nn.data;

import dev.descent.nn.io.MalformedFileException;
import dev.descent.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Readers of the MNIST files (and of any data set in the same IDX format, such as Fashion-MNIST):
 * images as FLOAT32 [N, 1, rows, cols] scaled to [0, 1], labels as INT64 [N]. The files may be
 * gzip-compressed or not; which is told by their first bytes. The bundled 10,000-digit subset is opened by
 * {@link Bundled#mnistTrain()} and {@link Bundled#mnistTest()}.
 */
public final class Mnist {
    private Mnist() {
    }

    /** Images and labels as one data set; the files must hold the same number of examples. */
    public static TensorDataset read(Path images, Path labels) throws IOException {
        Tensor x = readImages(images);
        Tensor y = readLabels(labels);
        return pair(x, images.toString(), y, labels.toString());
    }

    /** Images (IDX magic 0x00000803) as FLOAT32 [N, 1, rows, cols] in [0, 1]. */
    public static Tensor readImages(Path path) throws IOException {
        try (InputStream in = Streams.open(path)) {
            return readImages(in, path.toString());
        }
    }

    /** Labels (IDX magic 0x00000801) as INT64 [N]. */
    public static Tensor readLabels(Path path) throws IOException {
        try (InputStream in = Streams.open(path)) {
            return readLabels(in, path.toString());
        }
    }

    static Tensor readImages(InputStream in, String source) throws IOException {
        Idx.Array a = Idx.read(in, source, 3, "MNIST images");
        int n = a.dims()[0];
        int rows = a.dims()[1];
        int cols = a.dims()[2];
        float[] pixels = Streams.unitScaled(a.data(), 0, a.data().length, new float[a.data().length], 0);
        return Tensor.of(pixels, n, 1, rows, cols);
    }

    static Tensor readLabels(InputStream in, String source) throws IOException {
        Idx.Array a = Idx.read(in, source, 1, "MNIST labels");
        long[] labels = new long[a.data().length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = a.data()[i] & 0xFF;
        }
        return Tensor.of(labels);
    }

    static TensorDataset pair(Tensor images, String imagesSource, Tensor labels, String labelsSource)
            throws IOException {
        if (images.size(0) != labels.size(0)) {
            throw new MalformedFileException("MNIST: " + imagesSource + " holds " + images.size(0) + " images but " + labelsSource
                    + " holds " + labels.size(0) + " labels");
        }
        return new TensorDataset(images, labels);
    }
}
