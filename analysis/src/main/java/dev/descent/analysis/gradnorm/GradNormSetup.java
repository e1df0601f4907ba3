package dev.descent.analysis.gradnorm;

import java.util.Objects;

/**
 * Everything a gradient-norm study holds fixed while it varies the normalisation and the depth: the model
 * kind and width, the data, and how many initialisations and batches each expectation averages over.
 *
 * @param model          decoder-only LM or encoder-decoder
 * @param dModel         model width d
 * @param heads          attention heads (dividing {@code dModel})
 * @param dimFeedforward feed-forward hidden width (4 d in the builder's default, as in the paper's models)
 * @param seqLen         tokens per sequence (source and target alike for the encoder-decoder)
 * @param batchSize      sequences per batch
 * @param batches        batches per initialisation; the same batches serve every seed, depth and normalisation
 * @param seeds          initialisations (independent Xavier draws) per configuration
 * @param seed           the study's seed: it fixes the batches and the initialisation seeds
 * @param taskVocabulary tokens of the encoder-decoder's reversal task (the LM's vocabulary is tiny
 *                       Shakespeare's 65 characters)
 */
public record GradNormSetup(ModelKind model, int dModel, int heads, int dimFeedforward, int seqLen, int batchSize,
                            int batches, int seeds, long seed, int taskVocabulary) {
    /** Checks the sizes. */
    public GradNormSetup {
        Objects.requireNonNull(model, "GradNormSetup: model");
        if (dModel < 1 || heads < 1 || dimFeedforward < 1 || seqLen < 1 || batchSize < 1 || batches < 1
                || seeds < 1 || taskVocabulary < 2) {
            throw new IllegalArgumentException("GradNormSetup: sizes must be positive (and the task vocabulary at"
                    + " least 2), got dModel=" + dModel + ", heads=" + heads + ", dimFeedforward=" + dimFeedforward
                    + ", seqLen=" + seqLen + ", batchSize=" + batchSize + ", batches=" + batches + ", seeds=" + seeds
                    + ", taskVocabulary=" + taskVocabulary);
        }
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("GradNormSetup: dModel " + dModel + " is not a multiple of heads "
                    + heads);
        }
        if (seeds * batches < 2) {
            throw new IllegalArgumentException("GradNormSetup: a standard deviation needs at least 2 samples, got "
                    + seeds + " seeds x " + batches + " batches");
        }
    }

    /**
     * A builder with the defaults: d = 64, 4 heads, feed-forward width 4 d, 32 tokens, 8 sequences per batch,
     * 10 batches, 5 seeds, seed 0, a task vocabulary of 32; small enough for seconds per configuration on a CPU.
     */
    public static Builder builder(ModelKind model) {
        return new Builder(model);
    }

    /** Builds a {@link GradNormSetup}; every setter returns the builder. */
    public static final class Builder {
        private final ModelKind model;
        private int dModel = 64;
        private int heads = 4;
        private Integer dimFeedforward;
        private int seqLen = 32;
        private int batchSize = 8;
        private int batches = 10;
        private int seeds = 5;
        private long seed;
        private int taskVocabulary = 32;

        private Builder(ModelKind model) {
            this.model = model;
        }

        /** The model width (default 64). */
        public Builder dModel(int d) {
            this.dModel = d;
            return this;
        }

        /** The attention heads (default 4). */
        public Builder heads(int h) {
            this.heads = h;
            return this;
        }

        /** The feed-forward hidden width (default 4 dModel). */
        public Builder dimFeedforward(int width) {
            this.dimFeedforward = width;
            return this;
        }

        /** Tokens per sequence (default 32). */
        public Builder seqLen(int tokens) {
            this.seqLen = tokens;
            return this;
        }

        /** Sequences per batch (default 8). */
        public Builder batchSize(int sequences) {
            this.batchSize = sequences;
            return this;
        }

        /** Batches per initialisation (default 10). */
        public Builder batches(int count) {
            this.batches = count;
            return this;
        }

        /** Initialisations per configuration (default 5). */
        public Builder seeds(int count) {
            this.seeds = count;
            return this;
        }

        /** The study's seed (default 0). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Tokens of the encoder-decoder's reversal task (default 32). */
        public Builder taskVocabulary(int tokens) {
            this.taskVocabulary = tokens;
            return this;
        }

        /** The setup. */
        public GradNormSetup build() {
            return new GradNormSetup(model, dModel, heads, dimFeedforward != null ? dimFeedforward : 4 * dModel,
                    seqLen, batchSize, batches, seeds, seed, taskVocabulary);
        }
    }
}
