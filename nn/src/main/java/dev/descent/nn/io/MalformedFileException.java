package dev.descent.nn.io;

import java.io.IOException;

/**
 * A file that does not follow its format: a safetensors file whose header, offsets or data are wrong, or a
 * checkpoint whose parts are missing or inconsistent. The message names the file and every problem found.
 */
public final class MalformedFileException extends IOException {
    /** An exception with {@code message}, which should name the file and what is wrong with it. */
    public MalformedFileException(String message) {
        super(message);
    }
}
