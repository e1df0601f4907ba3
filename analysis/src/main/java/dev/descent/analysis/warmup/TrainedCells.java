package dev.descent.analysis.warmup;

import dev.descent.autograd.Variable;
import dev.descent.nn.Module;
import dev.descent.nn.data.Batch;
import dev.descent.nn.io.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The trained models of a finished warmup study, for analysis after training (a Hessian spectrum, say): each cell
 * rebuilt as its run built it, loaded with the weights its run saved, with its task's loss and batches.
 */
public final class TrainedCells {
    /**
     * A trained cell.
     *
     * @param model   the model with the run's final weights
     * @param loss    the task's mean token cross-entropy of this model on a batch
     * @param batches the first batches of the run's data stream
     */
    public record Trained(Module model, Function<Batch, Variable> loss, List<Batch> batches) {
    }

    private final Path runs;
    private final TaskData data;

    /** The cells of the study in {@code studyFolder}, run with {@code settings}. */
    public TrainedCells(WarmupSettings settings, Path studyFolder) {
        this.runs = studyFolder.resolve("runs");
        this.data = TaskData.load(settings);
    }

    /** The trained {@code cell} with {@code batchCount} batches of its data. */
    public Trained load(WarmupCell cell, int batchCount) {
        Path file = runs.resolve(cell.id()).resolve(CellStore.MODEL);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("TrainedCells: no trained weights for " + cell.id() + " (" + file
                    + "); run the study first");
        }
        TrainingTask task = data.create(cell.norm(), cell.seed());
        try {
            SafeTensors.loadModel(file, task.model());
        } catch (IOException e) {
            throw new UncheckedIOException("TrainedCells: cannot read " + file, e);
        }
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < batchCount; i++) {
            batches.add(task.nextBatch());
        }
        return new Trained(task.model(), task::loss, batches);
    }
}
