package dev.descent.analysis.warmup;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link WarmupStudy#run} did.
 *
 * @param folder  the study folder
 * @param results every cell's result, in grid order
 * @param trained cells trained by this call
 * @param reused  cells loaded from the folder, finished by an earlier call
 */
public record StudyResult(Path folder, List<CellResult> results, int trained, int reused) {
    /** Copies the list. */
    public StudyResult {
        results = List.copyOf(results);
    }
}
