package dev.descent.analysis.warmup;

import java.util.Locale;

/** What a warmup study trains: a character language model or an encoder-decoder on a synthetic task. */
public enum WarmupTask {
    /** A decoder-only Transformer LM ({@link dev.descent.nn.TransformerLM}) on the bundled tiny Shakespeare. */
    LM("lm"),
    /**
     * An encoder-decoder Transformer ({@link Seq2SeqTransformer}) that learns to reverse random token sequences
     * ({@link dev.descent.nn.data.SequenceTasks#reverse}).
     */
    SEQ2SEQ("seq2seq");

    private final String label;

    WarmupTask(String label) {
        this.label = label;
    }

    /** The name used on the command line and in files: {@code lm} or {@code seq2seq}. */
    public String label() {
        return label;
    }

    /** The task called {@code name} ({@code lm} or {@code seq2seq}, any case). */
    public static WarmupTask parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (WarmupTask t : values()) {
            if (t.label.equals(wanted)) {
                return t;
            }
        }
        throw new IllegalArgumentException("WarmupTask.parse: unknown task '" + name + "' (known: lm, seq2seq)");
    }
}
