package dev.descent.analysis.warmup;

import dev.descent.autograd.Variable;
import dev.descent.nn.Module;
import dev.descent.nn.data.Batch;

/** One run's model and data: what {@link CellRun} trains, built by {@link TaskData#create}. */
interface TrainingTask {
    /** The model being trained. */
    Module model();

    /** The output classes of the cross-entropy loss ({@code ln(classes)} is the uniform loss). */
    int classes();

    /** The next batch; consecutive calls go through the data epoch after epoch. */
    Batch nextBatch();

    /** The mean cross-entropy of the model on {@code batch}, in training mode. */
    Variable loss(Batch batch);
}
