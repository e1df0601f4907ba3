package dev.descent.examples.cli;

import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.CharVocabulary;
import dev.descent.nn.data.Cifar10;
import dev.descent.nn.data.Dataset;
import dev.descent.nn.data.Example;
import dev.descent.nn.data.Mnist;
import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.data.TextWindows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Loads the {@code --data} of {@code descent train}: a bundled data set, a directory of MNIST IDX files or CIFAR-10
 * batches, or a text file; bad input is reported as an {@link IllegalArgumentException} whose message is the one the
 * command shows.
 */
final class DataSpecs {
    /** The length of the character windows of text data. */
    static final int TEXT_LENGTH = 64;

    private DataSpecs() {
    }

    /**
     * The data: batches by example indices, what the model takes, its kind, and the held-out examples as one
     * batch (MNIST's 2,000 test digits for {@code mnist10k}; null where the data has no held-out part).
     */
    record Data(String name, int size, boolean language, int[] exampleShape, int classes, CharVocabulary vocabulary,
                Function<int[], Batch> batches, Dataset<? extends Example> dataset, Supplier<Batch> heldOut) {
    }

    static Data loadData(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        boolean directory = false;
        try {
            switch (key) {
                case "digits": {
                    TensorDataset t = Bundled.digits();
                    return images("digits", new TensorDataset(t.inputs().div(16.0), t.targets()));
                }
                case "mnist10k": {
                    Data train = images("mnist10k", Bundled.mnistTrain());
                    return new Data(train.name(), train.size(), false, train.exampleShape(), train.classes(), null,
                            train.batches(), train.dataset(), DataSpecs::mnistTest);
                }
                case "tinyshakespeare":
                    return text("tinyshakespeare", Bundled.tinyShakespeare());
                default:
                    break;
            }
            Path p = Paths.get(name);
            if (Files.isDirectory(p)) {
                Path images = firstExisting(p, "train-images-idx3-ubyte", "train-images-idx3-ubyte.gz",
                        "train-images.idx3-ubyte");
                Path labels = firstExisting(p, "train-labels-idx1-ubyte", "train-labels-idx1-ubyte.gz",
                        "train-labels.idx1-ubyte");
                if (images != null && labels != null) {
                    return images(name, Mnist.read(images, labels));
                }
                if (Files.exists(p.resolve("data_batch_1.bin"))) {
                    return images(name, Cifar10.readTrain(p));
                }
                directory = true;
            } else if (Files.isRegularFile(p)) {
                return text(name, Files.readString(p, StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--data: " + name + " could not be read: " + e.getMessage());
        }
        if (directory) {
            throw new IllegalArgumentException("--data: " + name + " holds neither MNIST IDX files"
                    + " (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz]) nor CIFAR-10 binary batches"
                    + " (data_batch_1.bin ...)");
        }
        throw new IllegalArgumentException("--data: unknown data '" + name + "' (known: mnist10k, digits,"
                + " tinyshakespeare, or a path to MNIST IDX files, CIFAR-10 batches or a text file)");
    }

    private static Path firstExisting(Path dir, String... names) {
        for (String n : names) {
            if (Files.isRegularFile(dir.resolve(n))) {
                return dir.resolve(n);
            }
        }
        return null;
    }

    private static Batch mnistTest() {
        TensorDataset test = Bundled.mnistTest();
        int[] all = new int[test.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return test.batch(all);
    }

    private static Data images(String name, TensorDataset t) {
        long max = 0;
        for (long y : t.targets().toLongArray()) {
            max = Math.max(max, y);
        }
        int[] shape = new int[t.inputs().dim() - 1];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.inputs().size(i + 1);
        }
        return new Data(name, t.size(), false, shape, (int) max + 1, null, t::batch, t, null);
    }

    private static Data text(String name, String text) {
        CharVocabulary vocab = CharVocabulary.of(text);
        TextWindows windows = TextWindows.of(text, vocab, TEXT_LENGTH);
        return new Data(name, windows.size(), true, new int[] {TEXT_LENGTH}, vocab.size(), vocab, idx -> {
            List<Example> list = new ArrayList<>(idx.length);
            for (int i : idx) {
                list.add(windows.get(i));
            }
            return Batch.collate(list);
        }, windows, null);
    }
}
