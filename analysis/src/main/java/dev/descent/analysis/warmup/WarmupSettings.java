package dev.descent.analysis.warmup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What every cell of a warmup study shares: the task, the length and batch size of each run, the model, the
 * schedule after warmup, the target loss, the divergence rule, when gradient norms are recorded, the smoothing
 * window, extra optimizer options and, for {@link WarmupTask#SEQ2SEQ}, the number of distinct tokens.
 *
 * @param task              what is trained
 * @param steps             optimizer updates per run (a diverged run stops earlier)
 * @param batchSize         sequences per batch
 * @param size              the Transformer's shape
 * @param decay             the schedule once warmup has reached the peak
 * @param targetLoss        the loss whose first crossing {@code steps to target} counts
 * @param divergence        when a run counts as diverged (and stops)
 * @param gradientSteps     the steps (0-based, 0 = the initial weights) at which the gradient norm of every
 *                          parameter tensor is recorded; the last step of a run is always added
 * @param window            k: the final loss is the mean of the last k losses, and a run has reached the
 *                          target when the mean of its last k losses is at or below it
 * @param optimizerOptions  hyperparameters (reference names and formats) given to every optimizer, on top of
 *                          {@link #ADAM_BETAS}; the cell's peak lr always wins over an {@code lr} here
 * @param seq2seqVocabulary distinct tokens of the sequences to reverse (ignored by {@link WarmupTask#LM})
 */
public record WarmupSettings(WarmupTask task, long steps, int batchSize, ModelSize size, LrDecay decay,
                             double targetLoss, DivergenceRule divergence, List<Long> gradientSteps, int window,
                             Map<String, String> optimizerOptions, int seq2seqVocabulary) {
    /**
     * The betas of every optimizer whose reference has a two-element {@code betas} (Adam, AdamW, RAdam, ...)
     * unless {@code optimizerOptions} sets them: Xiong et al.'s (0.9, 0.98), fairseq's Transformer setting.
     */
    public static final String ADAM_BETAS = "0.9,0.98";

    /** Checks every setting and normalises the gradient steps (sorted, distinct) and the options (a copy). */
    public WarmupSettings {
        List<String> problems = new ArrayList<>();
        if (task == null || size == null || decay == null || divergence == null || gradientSteps == null
                || optimizerOptions == null) {
            throw new IllegalArgumentException("WarmupSettings: task, size, decay, divergence, gradientSteps and"
                    + " optimizerOptions must be given");
        }
        if (steps < 1) {
            problems.add("steps >= 1, got " + steps);
        }
        if (batchSize < 1) {
            problems.add("batchSize >= 1, got " + batchSize);
        }
        if (!Double.isFinite(targetLoss) || targetLoss <= 0) {
            problems.add("a finite targetLoss > 0, got " + targetLoss);
        }
        if (window < 1 || window > steps) {
            problems.add("1 <= window <= steps, got window " + window + " for " + steps + " steps");
        }
        if (gradientSteps.stream().anyMatch(s -> s == null || s < 0)) {
            problems.add("gradient steps >= 0, got " + gradientSteps);
        }
        if (seq2seqVocabulary < 2) {
            problems.add("seq2seqVocabulary >= 2, got " + seq2seqVocabulary);
        }
        if (optimizerOptions.keySet().stream().anyMatch(k -> k == null || k.isBlank())) {
            problems.add("named optimizer options, got " + optimizerOptions.keySet());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("WarmupSettings: need " + String.join("; ", problems));
        }
        gradientSteps = List.copyOf(new TreeSet<>(gradientSteps));
        optimizerOptions = Map.copyOf(optimizerOptions);
    }

    /**
     * The default settings of {@code task}: those of the default study ({@link WarmupGrid#defaults}), chosen so
     * that its grid finishes in minutes on 2 cores and shows the warmup effect.
     */
    public static WarmupSettings defaults(WarmupTask task) {
        if (task == WarmupTask.LM) {
            return new WarmupSettings(task, 400, 16, new ModelSize(64, 4, 6, 256, 32), LrDecay.CONSTANT, 2.6,
                    DivergenceRule.DEFAULT, List.of(0L, 10L, 100L), 20, Map.of(), 16);
        }
        return new WarmupSettings(task, 400, 16, new ModelSize(64, 4, 3, 256, 12), LrDecay.CONSTANT, 1.0,
                DivergenceRule.DEFAULT, List.of(0L, 10L, 100L), 20, Map.of(), 16);
    }

    /** These settings with {@code steps} updates per run (the window shrinks to fit if needed). */
    public WarmupSettings withSteps(long newSteps) {
        return new WarmupSettings(task, newSteps, batchSize, size, decay, targetLoss, divergence, gradientSteps,
                (int) Math.min(window, Math.max(newSteps, 1)), optimizerOptions, seq2seqVocabulary);
    }

    /** The steps at which a run of these settings records gradient norms: {@link #gradientSteps} and the last. */
    public List<Long> recordedGradientSteps() {
        TreeSet<Long> all = new TreeSet<>();
        for (long s : gradientSteps) {
            if (s < steps) {
                all.add(s);
            }
        }
        all.add(steps - 1);
        return List.copyOf(all);
    }

    /**
     * The settings as plain values (strings, numbers, lists, maps) in a fixed order, as written to every result
     * file: a finished cell is reused only when its file holds exactly this.
     */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", task.label());
        out.put("steps", steps);
        out.put("batch_size", batchSize);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("d_model", size.dModel());
        model.put("heads", size.heads());
        model.put("layers", size.layers());
        model.put("feedforward", size.feedforward());
        model.put("seq_len", size.seqLen());
        out.put("model", model);
        out.put("decay", decay.label());
        out.put("target_loss", targetLoss);
        out.put("divergence_loss_factor", divergence.lossFactor());
        out.put("gradient_steps", recordedGradientSteps());
        out.put("window", window);
        out.put("optimizer_options", new java.util.TreeMap<>(optimizerOptions));
        if (task == WarmupTask.SEQ2SEQ) {
            out.put("seq2seq_vocabulary", seq2seqVocabulary);
        }
        return out;
    }
}
