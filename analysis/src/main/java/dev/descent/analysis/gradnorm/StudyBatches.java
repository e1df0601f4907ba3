package dev.descent.analysis.gradnorm;

import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.CharVocabulary;
import dev.descent.nn.data.Example;
import dev.descent.nn.data.SequenceTasks;
import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.data.TextWindows;
import dev.descent.tensor.Rng;
import dev.descent.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The batches a study averages over, drawn once and shared by every seed, depth and normalisation, so that the
 * comparisons between configurations are not blurred by different data (common random numbers).
 *
 * <ul>
 *   <li>{@link ModelKind#LM}: windows of {@code seqLen} characters of tiny Shakespeare (disjoint windows of the
 *       whole text, {@link TextWindows}), {@code batchSize} of them picked uniformly at random per batch; the
 *       targets are the same windows one character on.</li>
 *   <li>{@link ModelKind#ENCODER_DECODER}: the reversal task of {@link SequenceTasks#reverse}: uniform random
 *       tokens in [0, taskVocabulary) as the source, the source reversed as the target.</li>
 * </ul>
 */
public final class StudyBatches {
    private StudyBatches() {
    }

    /** Tiny Shakespeare and its vocabulary, read and encoded once per JVM (about a million characters). */
    private static final class Shakespeare {
        static final CharVocabulary VOCABULARY;
        static final Tensor TOKENS;

        static {
            String text = Bundled.tinyShakespeare();
            VOCABULARY = CharVocabulary.of(text);
            TOKENS = VOCABULARY.encode(text);
        }
    }

    /** The number of distinct characters of tiny Shakespeare, the LM's vocabulary size. */
    public static int shakespeareVocabularySize() {
        return Shakespeare.VOCABULARY.size();
    }

    /**
     * The study's {@code batches} batches of {@code batchSize} sequences of {@code seqLen} tokens, INT64 inputs and
     * targets [batchSize, seqLen], drawn from {@code rng}.
     */
    public static List<Batch> draw(GradNormSetup setup, Rng rng) {
        return setup.model() == ModelKind.LM ? shakespeare(setup, rng) : reversal(setup, rng);
    }

    private static List<Batch> shakespeare(GradNormSetup setup, Rng rng) {
        TextWindows windows = new TextWindows(Shakespeare.TOKENS, setup.seqLen(), setup.seqLen());
        List<Batch> batches = new ArrayList<>(setup.batches());
        for (int b = 0; b < setup.batches(); b++) {
            List<Example> examples = new ArrayList<>(setup.batchSize());
            for (int i = 0; i < setup.batchSize(); i++) {
                examples.add(windows.get(rng.nextInt(windows.size())));
            }
            batches.add(Batch.collate(examples));
        }
        return batches;
    }

    private static List<Batch> reversal(GradNormSetup setup, Rng rng) {
        int n = setup.batchSize();
        TensorDataset task = SequenceTasks.reverse(setup.batches() * n, setup.seqLen(), setup.taskVocabulary(), rng);
        List<Batch> batches = new ArrayList<>(setup.batches());
        for (int b = 0; b < setup.batches(); b++) {
            int[] rows = new int[n];
            for (int i = 0; i < n; i++) {
                rows[i] = b * n + i;
            }
            batches.add(task.batch(rows));
        }
        return batches;
    }
}
