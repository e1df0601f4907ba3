/**
 * Tensors on disk: the safetensors format ({@link dev.descent.nn.io.SafeTensors}), which Python's
 * {@code safetensors}, PyTorch and NumPy read and write, and training checkpoints
 * ({@link dev.descent.nn.io.Checkpoint}) stored in that same format so that a resumed run continues bit for
 * bit. Every file is written atomically (a temporary file in the target's directory, then a rename), and
 * every file read is checked in full: a malformed file fails with a {@link
 * dev.descent.nn.io.MalformedFileException} that says what is wrong, never with an index error or an
 * {@link java.lang.OutOfMemoryError}.
 */
@NullMarked
package dev.descent.nn.io;

import org.jspecify.annotations.NullMarked;
