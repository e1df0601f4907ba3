package dev.descent.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The result of one run of {@code descent compare}: one optimizer from one seed. Saved as result.json in the
 * run's folder once the run has finished, so that an interrupted comparison resumes with the runs still missing.
 *
 * @param optimizer     the registry name
 * @param seed          the seed of the initial weights and of the data order
 * @param config        what the run was asked to do (model, data, hyperparameters in force, schedule, steps, batch
 *                      size); a saved result is reused only when this matches exactly
 * @param losses        the training loss after each step (index 0 is step 1)
 * @param evalSteps     the steps at which accuracy was evaluated
 * @param evalAccuracy  the accuracy at those steps (held-out where the data has a held-out part)
 * @param seconds       the wall time of the training steps
 * @param stateBytes    the optimizer state's memory after the run (every state tensor's elements times their size)
 * @param parameters    the model's parameter count
 */
record ComparisonRun(String optimizer, long seed, Map<String, Object> config, double[] losses, long[] evalSteps,
                     double[] evalAccuracy, double seconds, long stateBytes, long parameters) {
    static final String FILE = "result.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The mean training loss over the last twentieth of the steps (at least one step). */
    double finalLoss() {
        int k = Math.max(1, losses.length / 20);
        double sum = 0;
        for (int i = losses.length - k; i < losses.length; i++) {
            sum += losses[i];
        }
        return sum / k;
    }

    /** The best evaluated accuracy, or NaN without evaluations. */
    double bestAccuracy() {
        double best = Double.NaN;
        for (double a : evalAccuracy) {
            best = Double.isNaN(best) ? a : Math.max(best, a);
        }
        return best;
    }

    void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, dir.resolve(FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The saved result in {@code dir} if there is one made with {@code config}, else null. */
    static ComparisonRun load(Path dir, Map<String, Object> config) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        ComparisonRun saved = JSON.readValue(file.toFile(), ComparisonRun.class);
        Object normalised = JSON.readValue(JSON.writeValueAsString(config), Object.class);
        return JSON.writeValueAsString(saved.config).equals(JSON.writeValueAsString(normalised)) ? saved : null;
    }
}
