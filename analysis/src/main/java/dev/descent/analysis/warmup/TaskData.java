package dev.descent.analysis.warmup;

import dev.descent.autograd.Variable;
import dev.descent.nn.Module;
import dev.descent.nn.NormPosition;
import dev.descent.nn.TransformerLM;
import dev.descent.nn.data.Batch;
import dev.descent.nn.data.Bundled;
import dev.descent.nn.data.CharVocabulary;
import dev.descent.nn.data.DataLoader;
import dev.descent.nn.data.SequenceTasks;
import dev.descent.nn.data.TensorDataset;
import dev.descent.nn.data.TextWindows;
import dev.descent.nn.functional.F;
import dev.descent.tensor.Rng;

/**
 * The data of a study, loaded once and shared read-only by every run, and the factory of each run's model and
 * batches. Seeding: a run of seed {@code s} draws its initial weights from the first {@link Rng#split()} of
 * {@code new Rng(s)} and its data (order, and the sequences of the synthetic task) from the second, so the
 * Pre-LN and Post-LN runs of one seed start from the same weights (Pre-LN's extra final LayerNorm draws nothing)
 * and see the same batches, whatever the learning rate, warmup or optimizer.
 */
abstract class TaskData {
    /** The data of {@code settings.task()}. */
    static TaskData load(WarmupSettings settings) {
        return settings.task() == WarmupTask.LM ? new Shakespeare(settings) : new Reverse(settings);
    }

    /** A fresh model and batch stream for a run of {@code norm} blocks and seed {@code seed}. */
    abstract TrainingTask create(NormPosition norm, long seed);

    /** Character windows of tiny Shakespeare for the {@link TransformerLM}. */
    private static final class Shakespeare extends TaskData {
        private final WarmupSettings settings;
        private final CharVocabulary vocabulary;
        private final TextWindows windows;

        Shakespeare(WarmupSettings settings) {
            this.settings = settings;
            String text = Bundled.tinyShakespeare();
            this.vocabulary = CharVocabulary.of(text);
            this.windows = TextWindows.of(text, vocabulary, settings.size().seqLen());
        }

        @Override
        TrainingTask create(NormPosition norm, long seed) {
            Rng root = new Rng(seed);
            Rng init = root.split();
            Rng data = root.split();
            ModelSize s = settings.size();
            TransformerLM lm = new TransformerLM(TransformerLM.Config.builder(vocabulary.size(), s.seqLen(), s.dModel(),
                    s.heads(), s.layers()).dimFeedforward(s.feedforward()).normPosition(norm).build(), init);
            BatchStream batches = new BatchStream(DataLoader.builder(windows).batchSize(settings.batchSize())
                    .shuffle(data).dropLast(true).build());
            int classes = vocabulary.size();
            return new TrainingTask() {
                @Override
                public Module model() {
                    return lm;
                }

                @Override
                public int classes() {
                    return classes;
                }

                @Override
                public Batch nextBatch() {
                    return batches.next();
                }

                @Override
                public Variable loss(Batch b) {
                    return F.crossEntropy(lm.forward(b.inputs()).reshape(-1, classes), b.targets().reshape(-1));
                }
            };
        }
    }

    /**
     * Reversal of random token sequences for the {@link Seq2SeqTransformer}: a run sees {@code steps · batchSize}
     * sequences (capped at 2^20), each once, drawn from its data generator.
     */
    private static final class Reverse extends TaskData {
        private static final long MAX_SEQUENCES = 1 << 20;
        private final WarmupSettings settings;

        Reverse(WarmupSettings settings) {
            this.settings = settings;
        }

        @Override
        TrainingTask create(NormPosition norm, long seed) {
            Rng root = new Rng(seed);
            Rng init = root.split();
            Rng data = root.split();
            ModelSize s = settings.size();
            int vocabulary = settings.seq2seqVocabulary();
            Seq2SeqTransformer model = new Seq2SeqTransformer(vocabulary, s.seqLen(), s, norm, init);
            int count = (int) Math.min(MAX_SEQUENCES, Math.max(settings.batchSize(),
                    settings.steps() * settings.batchSize()));
            TensorDataset sequences = SequenceTasks.reverse(count, s.seqLen(), vocabulary, data);
            BatchStream batches = new BatchStream(DataLoader.builder(sequences).batchSize(settings.batchSize())
                    .shuffle(data).dropLast(true).build());
            return new TrainingTask() {
                @Override
                public Module model() {
                    return model;
                }

                @Override
                public int classes() {
                    return vocabulary;
                }

                @Override
                public Batch nextBatch() {
                    return batches.next();
                }

                @Override
                public Variable loss(Batch b) {
                    return F.crossEntropy(model.forward(b.inputs(), b.targets()).reshape(-1, vocabulary),
                            b.targets().reshape(-1));
                }
            };
        }
    }
}
