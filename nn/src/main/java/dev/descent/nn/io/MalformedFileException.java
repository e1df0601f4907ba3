package dev.descent.nn.io;

import java.io.IOException;

/**
 * A file that does not follow its format: a safetensors file whose header, offsets or data are wrong, a
 * checkpoint whose parts are missing or inconsistent, or a data file (MNIST IDX, CIFAR-10, CSV) with a bad
 * magic number, truncated data or malformed rows. The message names the file and every problem found.
 */
public final class MalformedFileException extends IOException {
    /** An exception with {@code message}, which should name the file and what is wrong with it. */
    public MalformedFileException(String message) {
        super(message);
    }
}
