/**
 * kotlinx.coroutines over Descent: a data loader's epochs as a {@code Flow} of batches made ahead on a
 * background dispatcher ({@code asFlow}), a training loop that is a suspending function, reports progress as a
 * {@code StateFlow}, and checkpoints when cancelled so that it resumes exactly ({@code training}), and a sweep
 * runner that runs several configurations at once, bounded by the number of cores ({@code sweep}).
 */
package dev.descent.kotlin.coroutines;
