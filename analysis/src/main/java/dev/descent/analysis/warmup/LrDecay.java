package dev.descent.analysis.warmup;

import java.util.Locale;

/** What the learning rate does once the linear warmup has reached the peak. */
public enum LrDecay {
    /** It stays at the peak. */
    CONSTANT("constant"),
    /**
     * It decays as the inverse square root of the update number, fairseq's {@code inverse_sqrt}:
     * {@code peak · sqrt(max(W, 1) / u)} for update {@code u > W}.
     */
    INVERSE_SQRT("inverse-sqrt");

    private final String label;

    LrDecay(String label) {
        this.label = label;
    }

    /** The name used on the command line and in files. */
    public String label() {
        return label;
    }

    /** The decay called {@code name} ({@code constant} or {@code inverse-sqrt}, any case). */
    public static LrDecay parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (LrDecay d : values()) {
            if (d.label.equals(wanted)) {
                return d;
            }
        }
        throw new IllegalArgumentException("LrDecay.parse: unknown decay '" + name
                + "' (known: constant, inverse-sqrt)");
    }
}
