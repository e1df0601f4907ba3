/**
 * Data for training: map-style {@link dev.descent.nn.data.Dataset}s of {@link dev.descent.nn.data.Example}s,
 * a {@link dev.descent.nn.data.DataLoader} that shuffles reproducibly, batches, collates into tensors and
 * optionally prefetches on a background thread, readers of the common formats (MNIST's IDX, CIFAR-10's
 * binary batches, CSV, plain text as character windows), synthetic sequence tasks, and the small data sets
 * bundled with Descent ({@link dev.descent.nn.data.Bundled}).
 *
 * <p>Conventions, as torchvision's: images are FLOAT32 [N, C, H, W] scaled to [0, 1], class labels INT64.
 * Every random choice takes an explicit {@link dev.descent.tensor.Rng}. A malformed file is rejected with a
 * {@link dev.descent.nn.io.MalformedFileException} that names the file and says what is wrong (bad magic
 * number, truncated data, a row with the wrong number of columns), never with an index error.
 */
@NullMarked
package dev.descent.nn.data;

import org.jspecify.annotations.NullMarked;
