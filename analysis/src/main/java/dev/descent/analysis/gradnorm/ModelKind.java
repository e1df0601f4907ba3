package dev.descent.analysis.gradnorm;

import java.util.Locale;

/** The two Transformers of the study. */
public enum ModelKind {
    /**
     * A decoder-only character language model ({@link dev.descent.nn.TransformerLM}) on windows of tiny
     * Shakespeare; its one stack of blocks is called {@code blocks}.
     */
    LM("lm"),
    /**
     * An encoder-decoder ({@link dev.descent.nn.Transformer}) on the sequence-reversal task of
     * {@link dev.descent.nn.data.SequenceTasks}, as many encoder as decoder layers; stacks {@code encoder} and
     * {@code decoder}.
     */
    ENCODER_DECODER("encdec");

    private final String cliName;

    ModelKind(String cliName) {
        this.cliName = cliName;
    }

    /** The short name used on the command line and in files: {@code lm} or {@code encdec}. */
    public String cliName() {
        return cliName;
    }

    /** The kind of short name {@code name} (case ignored). */
    public static ModelKind parse(String name) {
        for (ModelKind k : values()) {
            if (k.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("ModelKind.parse: unknown model '" + name + "' (known: lm, encdec)");
    }
}
